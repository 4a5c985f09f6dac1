// Loaded with `node --import` into a spawned command line: on exit, writes the process's own resource
// usage (peak RSS in KB, CPU time in µs) to the file named by BI_USAGE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.BI_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    const heap = process.memoryUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKb: u.maxRSS,
        userUs: u.userCPUTime,
        systemUs: u.systemCPUTime,
        heapUsed: heap.heapUsed,
      }),
    );
  });
}
