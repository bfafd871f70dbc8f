import { run } from './main';

// Exit once standard output has drained: the WebAssembly HCL parser leaves timers that would keep
// the process alive after its work is done.
void run().then((code) => {
  process.stdout.write('', () => process.exit(code));
});
