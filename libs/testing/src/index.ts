export { waitFor, type WaitOptions } from './wait-for';
export { freePort } from './free-port';
export { SmtpSink, type SmtpSinkOptions, type SmtpFault, type ReceivedMessage } from './smtp/smtp-sink';
export { ServiceProcess, type ServiceName, type StartOptions, type Exit } from './processes/service-process';
export { MailroomStack, TEST_API_KEY, type StackOptions, type ApiResponse } from './processes/mailroom-stack';
export { repoRoot } from './processes/repo-root';
export { uniqueNamespace, deleteNamespace, deleteNamespaceWith, TEST_NATS_URL } from './nats/test-namespace';
export { NatsServerProcess } from './nats/nats-server-process';
export { maxInHalfOpenWindow, observedRate } from './arrival-windows';
