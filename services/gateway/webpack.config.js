// Builds dist/services/gateway/main.js (see tools/webpack/node-app.config.js), with the public
// gRPC contract copied beside it: @grpc/proto-loader loads proto/ at run time.
module.exports = require('../../tools/webpack/node-app.config')({
  output: 'dist/services/gateway',
  assets: [{ input: '../../libs/contracts/proto', glob: '**/*.proto', output: 'proto' }],
});
