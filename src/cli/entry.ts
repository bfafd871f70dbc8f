import { main } from './main';

// exitCode, not exit(): standard output may still be draining into a pipe.
void main().then((code) => {
  process.exitCode = code;
});
