/** A REST call to Flightdeck through the lab's load balancer with the lab's API key; throws on an unexpected status. */
export async function rest<T = unknown>(
  lab: { url: string; apiKey: string },
  method: 'GET' | 'POST' | 'DELETE',
  route: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${lab.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${lab.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
