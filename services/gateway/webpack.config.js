const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// Nest needs decorator metadata, so the build goes through tsc (ts-loader), not esbuild.
module.exports = {
  output: {
    path: join(__dirname, '../../dist/services/gateway'),
    clean: true,
    devtoolModuleFilenameTemplate: '[absolute-resource-path]',
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      // The public gRPC contract, loaded at run time by @grpc/proto-loader from proto/ beside main.js.
      assets: [{ input: '../../libs/contracts/proto', glob: '**/*.proto', output: 'proto' }],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
