import { PKI, PORTS } from './lab-env';

/**
 * A kubeconfig for the lab's API server (trusting the lab's CA), as `user` with `credentials` (a
 * token, or a client certificate and key), acting in `namespace` when one is given.
 */
export function labKubeconfig(user: string, credentials: Record<string, string>, namespace?: string): string {
  const userFields = Object.entries(credentials).map(([field, value]) => `${field}: ${value}`);
  const contextFields = ['cluster: lab', `user: ${user}`, ...(namespace ? [`namespace: ${namespace}`] : [])];
  return `apiVersion: v1
kind: Config
clusters:
  - name: lab
    cluster: { certificate-authority: ${PKI}/ca.crt, server: 'https://127.0.0.1:${PORTS.apiserver}' }
users:
  - name: ${user}
    user: { ${userFields.join(', ')} }
contexts:
  - name: lab
    context: { ${contextFields.join(', ')} }
current-context: lab
`;
}
