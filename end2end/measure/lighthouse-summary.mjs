// Prints the four Lighthouse category scores of a JSON report, and the audits that cost points.
// Usage: node end2end/measure/lighthouse-summary.mjs report.json
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const category of Object.values(report.categories)) {
  console.log(`${category.title.padEnd(16)} ${Math.round(category.score * 100)}`);
  for (const { id, weight } of category.auditRefs) {
    const audit = report.audits[id];
    if (weight > 0 && audit.score !== null && audit.score < 1) {
      console.log(`  ${id}: ${audit.displayValue ?? ''} (score ${audit.score})`);
    }
  }
}
for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']) {
  console.log(`${id}: ${report.audits[id].displayValue}`);
}
