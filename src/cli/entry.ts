import { main } from './main';

// Exit once standard output has drained: the WebAssembly HCL parser leaves timers that would keep
// the process alive for a second after its work is done.
void main().then((code) => {
  process.stdout.write('', () => process.exit(code));
});
