// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchRead } from '../src/api';

// A real HTTP server on loopback that answers 503 (with Retry-After) `busy` times, then 200.
function busyServer(busy: number, retryAfter = '1'): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    if (hits <= busy) {
      res.writeHead(503, { 'Retry-After': retryAfter, 'Content-Type': 'application/json' });
      res.end('{"code":"ServiceUnavailable"}');
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    resolve({ server, url: `http://127.0.0.1:${port}/`, hits: () => hits });
  }));
}

let open: Server | undefined;
afterEach(() => open?.close());

describe('reads refused by a busy server', () => {
  it('are asked again after Retry-After until the server answers', async () => {
    const { server, url, hits } = await busyServer(2);
    open = server;
    const started = Date.now();
    const response = await fetchRead(url, {}, 3, 0.05);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(hits()).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);  // two waits of 50 ms (Retry-After capped)
  });

  it('give the last 503 when the server stays busy', async () => {
    const { server, url, hits } = await busyServer(10);
    open = server;
    const response = await fetchRead(url, {}, 2, 0.01);
    expect(response.status).toBe(503);
    expect(hits()).toBe(2);
  });

  it('are not repeated for other statuses', async () => {
    const server = createServer((_req, res) => { res.writeHead(404); res.end(); });
    open = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const response = await fetchRead(`http://127.0.0.1:${port}/`, {}, 3, 0.01);
    expect(response.status).toBe(404);
  });
});
