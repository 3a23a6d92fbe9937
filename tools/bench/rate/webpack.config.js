// `npm run bench:rate` runs dist/tools/bench-rate/main.js (the test harness is bundled in).
module.exports = require('../../webpack/node-app.config')({ output: 'dist/tools/bench-rate' });
