// The one webpack configuration of every Node app here (the four services and the tools):
// NxAppWebpackPlugin with the tsc compiler, because Nest needs decorator metadata (esbuild drops
// it), node_modules kept external, source maps on. Each project's webpack.config.js names its
// output folder (relative to the workspace root) and any assets to copy.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

const root = join(__dirname, '..', '..');

module.exports = function nodeApp({ output, assets = [] }) {
  return {
    output: {
      path: join(root, output),
      clean: true,
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets,
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
      }),
    ],
  };
};
