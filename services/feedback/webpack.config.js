// Builds dist/services/feedback/main.js (see tools/webpack/node-app.config.js).
module.exports = require('../../tools/webpack/node-app.config')({ output: 'dist/services/feedback' });
