import { Agent, request } from 'undici';
import { startLocalMesh } from './startLocalMesh.ts';
const t0 = Date.now();
const mesh = await startLocalMesh();
console.log('started in', Date.now() - t0, mesh.ingress.url, mesh.idp.issuer);
const tr = await fetch(mesh.idp.tokenEndpoint, { method: 'POST', headers: { authorization: 'Basic ' + Buffer.from(`meshgate-basic:${mesh.idp.clientSecrets.basic}`).toString('base64') }, body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'https://orders.mesh.local' }) });
const { access_token } = await tr.json() as { access_token: string };
const agent = (servername: string, allowH2 = true) => new Agent({ allowH2, connect: { ca: mesh.pki.meshCaPem, cert: mesh.clientCertificate.certPem, key: mesh.clientCertificate.keyPem, servername } });
const a = agent('orders.mesh.local');
for (const [path, method, auth] of [['/v1/orders/A-17', 'GET', true], ['/v1/orders/echo/x?y=1', 'POST', true], ['/v1/orders/A-17', 'GET', false], ['/v1/admin/x', 'GET', true]] as const) {
  const r = await request(mesh.ingress.url + path, { dispatcher: a, method, headers: { host: 'orders.mesh.local', ...(auth ? { authorization: `Bearer ${access_token}` } : {}), 'x-forwarded-client-cert': 'evil', 'content-type': 'application/json' }, body: method === 'POST' ? '{"a":1}' : undefined });
  console.log(path, r.statusCode, r.headers, await r.body.text());
}
const h1 = agent('orders.mesh.local', false);
const r = await request(mesh.ingress.url + '/v1/orders/A-17', { dispatcher: h1, headers: { host: 'orders.mesh.local', authorization: 'Bearer abc' } });
console.log('h1', r.statusCode, r.headers, await r.body.text());
console.log(mesh.ingress.requests.map((x) => [x.httpVersion, x.decision, x.clientCertSerial, x.claims.aud]));
console.log('handshakes', mesh.ingress.handshakes);
await a.close(); await h1.close();
const t1 = Date.now(); await mesh.stop(); console.log('stopped in', Date.now() - t1);
