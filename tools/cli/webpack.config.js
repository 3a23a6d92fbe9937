// Builds dist/tools/cli/main.js, which bin/mailroom.js runs (see tools/webpack/node-app.config.js).
module.exports = require('../webpack/node-app.config')({ output: 'dist/tools/cli' });
