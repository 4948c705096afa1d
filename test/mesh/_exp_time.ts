import { startSsm } from './startSsm.ts';
let t = Date.now();
const ssm = await startSsm(); console.log('ssm', Date.now() - t, ssm.endpoint); t = Date.now();
await ssm.put('/a', 'b'); console.log('put1', Date.now() - t); t = Date.now();
if (process.argv[2] === 'die') { console.log('pid', process.pid); setInterval(() => {}, 1000); } else {
await ssm.stop(); console.log('stop', Date.now() - t);
await ssm.stop(); }
