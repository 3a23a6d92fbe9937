// Builds dist/tools/bench/main.js, which `npm run bench` runs (see tools/webpack/node-app.config.js).
module.exports = require('../webpack/node-app.config')({ output: 'dist/tools/bench' });
