// The CLI in a process of its own (run with `node --import tsx`), for tests that send it signals.
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
