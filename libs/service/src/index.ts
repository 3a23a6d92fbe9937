export { bootService, type ServiceDefinition } from './boot-service';
