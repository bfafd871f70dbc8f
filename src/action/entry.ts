import { run } from './main';

// exitCode, not exit(): standard output may still be draining into a pipe.
void run().then((code) => {
  process.exitCode = code;
});
