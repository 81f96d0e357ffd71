/**
 * Process entry of the `consul` CLI: runs {@link main} on the process arguments and exits with its
 * code once output is flushed. Kept tiny; commands are imported on demand.
 */
import { main } from './main.ts';

const code = await main(process.argv.slice(2), {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
});
process.exitCode = code;
