export { bootService, type ServiceDefinition } from './boot-service';
export { ServiceModule, type ServiceName } from './service.module';
