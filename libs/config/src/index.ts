export { ConfigValidationError } from './config-validation.error';
export { loadEnv, envVariableNames, requiredEnvVariableNames, loadConfigOrExit } from './load-env';
export { CommonEnv, toInt, toBool, commonConfig, type CommonConfig, type RecipientEventsConfig } from './common-env.schema';
