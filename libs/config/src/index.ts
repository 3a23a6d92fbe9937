export { ConfigValidationError } from './config-validation.error';
export { loadEnv, envVariableNames, requiredEnvVariableNames, loadConfigOrExit } from './load-env';
export { CommonEnv, LOG_LEVELS, toInt, toBool, commonConfig, type LogLevel, type CommonConfig } from './common-env.schema';
