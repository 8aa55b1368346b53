import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PORTS, RUN } from './lab-env';
import type { LocalPod } from './pod-agent';
import { startLabProcess, waitUntil, type LabProcess } from './processes';

// nginx in front of the pods, standing in for the Gateway and its HTTPRoute
// (deploy/k8s/base/routing.yaml): /socket.io/ to the gateway pods, /metrics refused at the edge,
// everything else to the API pods. Production keeps a long-polling session on one gateway (the
// route's session persistence); here every client comes from 127.0.0.1 and uses WebSocket, so the
// lab spreads sockets by client address and port — per connection, as a balancer does with
// WebSockets — or they would all land on one gateway. Only ready pods receive traffic, as with Endpoints; a change
// rewrites the configuration and reloads nginx (SIGHUP), which lets open connections finish.

const DIR = path.join(RUN, 'nginx');
const CONF = path.join(DIR, 'nginx.conf');

function upstream(name: string, pods: LocalPod[], balance: string): string {
  // An upstream needs a server: with no ready pod, a closed port answers 502 at once.
  const servers =
    pods.length > 0 ? pods.map((pod) => `    server 127.0.0.1:${pod.port};`) : ['    server 127.0.0.1:9 down;'];
  return `  upstream ${name} {\n${balance ? `    ${balance};\n` : ''}${servers.join('\n')}\n  }`;
}

function render(pods: LocalPod[]): string {
  const ready = (component: string) => pods.filter((pod) => pod.ready && pod.component === component);
  return `daemon off;
worker_processes 1;
# A proxied WebSocket holds two connections (client and gateway): room for the connection surge's
# 10,000 sockets and the rest.
worker_rlimit_nofile 65536;
pid ${DIR}/nginx.pid;
error_log ${DIR}/error.log warn;
events { worker_connections 32768; }
http {
  access_log off;
  client_body_temp_path ${DIR}/body;
  proxy_temp_path ${DIR}/proxy;
  fastcgi_temp_path ${DIR}/fastcgi;
  uwsgi_temp_path ${DIR}/uwsgi;
  scgi_temp_path ${DIR}/scgi;
  client_max_body_size 32m;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
${upstream('api', ready('api'), '')}
${upstream('gateway', ready('gateway'), 'hash $remote_addr$remote_port consistent')}
  server {
    listen 127.0.0.1:${PORTS.loadBalancer};
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    location = /metrics { return 404; }
    location /socket.io/ {
      proxy_pass http://gateway;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
    }
    location / {
      proxy_pass http://api;
      proxy_read_timeout 60s;
    }
  }
}
`;
}

export class LoadBalancer {
  private nginx?: LabProcess;
  private last = '';

  async start(pods: LocalPod[]): Promise<void> {
    mkdirSync(DIR, { recursive: true });
    this.write(pods);
    this.nginx = startLabProcess('nginx', 'nginx', ['-c', CONF, '-p', DIR], { logDir: path.join(RUN, 'logs') });
    await waitUntil(
      'nginx',
      () => fetch(`http://127.0.0.1:${PORTS.loadBalancer}/metrics`).then((r) => r.status === 404),
      15_000,
    );
  }

  /** Points the upstreams at the pods that are ready now. */
  update(pods: LocalPod[]): void {
    if (this.write(pods)) this.nginx?.child.kill('SIGHUP');
  }

  async stop(): Promise<void> {
    await this.nginx?.stop(10_000);
  }

  private write(pods: LocalPod[]): boolean {
    const text = render(pods);
    if (text === this.last) return false;
    writeFileSync(CONF, text);
    this.last = text;
    return true;
  }
}
