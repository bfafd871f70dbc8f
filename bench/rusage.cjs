// Preloaded (`node --require`) into a bench child: at exit, appends the process's own peak RSS and
// CPU time to the file named by KMSGATE_BENCH_RUSAGE, so the parent reads figures that belong to
// that one process.
'use strict';
const { appendFileSync } = require('node:fs');

const out = process.env.KMSGATE_BENCH_RUSAGE;
if (out) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    appendFileSync(out, `${JSON.stringify({ code, maxRssKiB: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 })}\n`);
  });
}
