import { runCli } from './helpers/cli.js';
const r = await runCli(process.argv.slice(2));
console.log(r.code, r.stderr.slice(0,500), r.stdout.slice(0,200));
