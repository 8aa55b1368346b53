import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labKubeconfig } from './kubeconfig';
import { KUBECONFIG, PKI } from './lab-env';

// The lab's certificates, made once with openssl and kept: a CA, the API server's serving
// certificate, the admin's client certificate (group system:masters), the front proxy's client
// certificate (aggregated APIs: KEDA's metrics adapter), one certificate KEDA's operator and adapter
// use for their mutual TLS, and the service-account signing key.

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: PKI, stdio: ['ignore', 'ignore', 'pipe'] });

function issue(name: string, subject: string, extendedKeyUsage: string, altNames = ''): void {
  if (existsSync(path.join(PKI, `${name}.crt`))) return;
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  const extensions = [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    `extendedKeyUsage=${extendedKeyUsage}`,
    ...(altNames ? [`subjectAltName=${altNames}`] : []),
  ];
  writeFileSync(path.join(PKI, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '3650',
    '-extfile',
    `${name}.ext`,
  );
}

/** Makes whatever is missing of the PKI and the admin kubeconfig; returns the folder KEDA reads (`ca.crt`, `tls.crt`, `tls.key`). */
export function ensureCertificates(): { kedaCertDir: string } {
  mkdirSync(PKI, { recursive: true });
  if (!existsSync(path.join(PKI, 'ca.crt'))) {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=flightdeck-lab-ca',
    );
  }
  issue(
    'apiserver',
    '/CN=kube-apiserver',
    'serverAuth',
    'DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.0.0.1',
  );
  issue('admin', '/O=system:masters/CN=admin', 'clientAuth');
  issue('front-proxy-client', '/CN=front-proxy-client', 'clientAuth');
  issue(
    'keda',
    '/CN=keda-operator',
    'serverAuth,clientAuth',
    'DNS:localhost,DNS:keda-operator,DNS:keda-operator.keda.svc,DNS:keda-metrics-apiserver,DNS:keda-metrics-apiserver.keda.svc,IP:127.0.0.1',
  );
  if (!existsSync(path.join(PKI, 'sa.key'))) {
    openssl('genrsa', '-out', 'sa.key', '2048');
    openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  }
  const kedaCertDir = path.join(PKI, 'keda');
  mkdirSync(kedaCertDir, { recursive: true });
  copyFileSync(path.join(PKI, 'ca.crt'), path.join(kedaCertDir, 'ca.crt'));
  copyFileSync(path.join(PKI, 'keda.crt'), path.join(kedaCertDir, 'tls.crt'));
  copyFileSync(path.join(PKI, 'keda.key'), path.join(kedaCertDir, 'tls.key'));
  const adminCertificate = { 'client-certificate': `${PKI}/admin.crt`, 'client-key': `${PKI}/admin.key` };
  writeFileSync(KUBECONFIG, labKubeconfig('admin', adminCertificate));
  return { kedaCertDir };
}
