// Preloaded into the measured process: prints its peak resident set size and CPU time (user + system,
// seconds: what a shared machine's load does not inflate) when it exits.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nBENCH_MAX_RSS_KB ${u.maxRSS}\nBENCH_CPU_S ${((u.userCPUTime + u.systemCPUTime) / 1e6).toFixed(2)}\n`);
});
