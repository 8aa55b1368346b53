import { OutboundGuard, OutboundUrlRefusedError, internalAddressKind, type HostResolver } from './outbound-guard';

/** A resolver that answers from a table and records what it was asked; no DNS, no connections. */
function stubResolver(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: HostResolver = async (hostname) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

const refusal = (guard: OutboundGuard, url: string) =>
  guard.check(url).then(
    () => {
      throw new Error(`expected ${url} to be refused`);
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(OutboundUrlRefusedError);
      expect((error as Error).name).toBe('OutboundUrlRefusedError');
      return (error as Error).message;
    },
  );

describe('OutboundGuard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'private'],
    ['fc00::1', 'private'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:c0a8:0101::1', 'private'],
  ])('refuses a host that resolves to %s (%s)', async (address, kind) => {
    const { resolve } = stubResolver({ 'internal.example': [address] });
    const message = await refusal(new OutboundGuard({ resolve }), 'https://internal.example/path');
    expect(message).toContain('internal.example');
    expect(message).toContain(address);
    expect(message).toContain(kind);
    expect(message).toContain('OUTBOUND_ALLOWLIST');
  });

  it.each([
    'http://127.0.0.1:8080/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fe80::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0/',
  ])('refuses the IP literal URL %s without resolving anything', async (url) => {
    const { resolve, asked } = stubResolver({});
    await refusal(new OutboundGuard({ resolve }), url);
    expect(asked).toEqual([]);
  });

  it('refuses a host if ANY of its addresses is internal, whatever the order', async () => {
    const { resolve } = stubResolver({ 'mixed.example': ['93.184.215.14', '10.0.0.5'] });
    expect(await refusal(new OutboundGuard({ resolve }), 'https://mixed.example/')).toContain('10.0.0.5');
  });

  it('allows a host that resolves to public addresses only, returning the address to connect to', async () => {
    const { resolve, asked } = stubResolver({
      'api.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    });
    const target = await new OutboundGuard({ resolve }).check('https://API.Example.com:8443/v1?q=1');
    expect(asked).toEqual(['api.example.com']);
    expect(target).toMatchObject({
      hostname: 'api.example.com',
      address: '93.184.215.14',
      family: 4,
      allowlisted: false,
    });
    expect(target.url.href).toBe('https://api.example.com:8443/v1?q=1');
  });

  it('allows an allowlisted host even when it resolves to loopback (case-insensitive, exact names)', async () => {
    const { resolve } = stubResolver({ 'hooks.internal': ['127.0.0.1'], 'other.hooks.internal': ['127.0.0.1'] });
    const guard = new OutboundGuard({ resolve, allowlist: [' Hooks.Internal ', '127.0.0.1', '[::1]'] });
    await expect(guard.check('http://HOOKS.internal/x')).resolves.toMatchObject({
      address: '127.0.0.1',
      allowlisted: true,
    });
    await expect(guard.check('http://127.0.0.1:9000/')).resolves.toMatchObject({ address: '127.0.0.1', family: 4 });
    await expect(guard.check('http://[::1]:9000/')).resolves.toMatchObject({ address: '::1', family: 6 });
    // Exact names only: a subdomain of an allowlisted host is not allowlisted.
    await refusal(guard, 'http://other.hooks.internal/');
    // 127.0.0.1 being allowlisted does not allow another loopback address.
    await refusal(guard, 'http://127.0.0.2/');
  });

  it('allows only that port of a host listed as host:port', async () => {
    const { resolve } = stubResolver({ 'hooks.internal': ['127.0.0.1'] });
    const guard = new OutboundGuard({ resolve, allowlist: ['127.0.0.1:9000', '[::1]:8443', 'Hooks.Internal:443'] });
    await expect(guard.check('http://127.0.0.1:9000/x')).resolves.toMatchObject({ allowlisted: true });
    await expect(guard.check('http://[::1]:8443/')).resolves.toMatchObject({ allowlisted: true });
    await expect(guard.check('https://hooks.internal/')).resolves.toMatchObject({ allowlisted: true });
    await refusal(guard, 'http://127.0.0.1:9001/');
    await refusal(guard, 'http://127.0.0.1/');
    await refusal(guard, 'http://hooks.internal/');
    // [fd00::1]:80 allows port 80 of fd00::1, not the other address fd00::1:80.
    const v6 = new OutboundGuard({ resolve, allowlist: ['[fd00::1]:80'] });
    await expect(v6.check('http://[fd00::1]/')).resolves.toMatchObject({ allowlisted: true });
    await refusal(v6, 'http://[fd00::1:80]:8080/');
  });

  it.each([
    'ftp://example.com/file',
    'file:///etc/passwd',
    'gopher://example.com/',
    'data:text/plain,hi',
    'ws://example.com/',
  ])('refuses the non-http URL %s', async (url) => {
    const { resolve, asked } = stubResolver({ 'example.com': ['93.184.215.14'] });
    expect(await refusal(new OutboundGuard({ resolve, allowlist: ['example.com'] }), url)).toContain(
      'only http and https',
    );
    expect(asked).toEqual([]);
  });

  it('refuses what is not a URL, and a host that resolves to nothing', async () => {
    const { resolve } = stubResolver({ 'empty.example': [] });
    expect(await refusal(new OutboundGuard({ resolve }), 'not a url')).toContain('not a valid URL');
    expect(await refusal(new OutboundGuard({ resolve }), 'http://empty.example/')).toContain('no address');
  });

  it('lets resolution failures through as they are (they may be transient)', async () => {
    const { resolve } = stubResolver({});
    const failure = new OutboundGuard({ resolve }).check('http://missing.example/');
    await expect(failure).rejects.toThrow('ENOTFOUND');
    await expect(failure).rejects.not.toBeInstanceOf(OutboundUrlRefusedError);
  });
});

describe('internalAddressKind', () => {
  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('treats %s as public', (address) => {
    expect(internalAddressKind(address)).toBeUndefined();
  });
});
