export { waitFor, type WaitOptions } from './wait-for';
export { freePort } from './free-port';
export { SmtpSink, type SmtpSinkOptions, type SmtpFault, type ReceivedMessage } from './smtp/smtp-sink';
export { UnreachablePort } from './smtp/unreachable-port';
export { startHookedSmtpServer, type HookedSmtpServer } from './smtp/hooked-smtp-server';
export { SmtpWireRecorder, type RecordedCommand, type RecordedConnection } from './smtp/smtp-wire-recorder';
export { PostfixSmtpSink, postfixSmtpSinkBinary, type PostfixSmtpSinkBinary } from './smtp/postfix-smtp-sink';
export { sendRawMail, type RawMail, type RawMailResult } from './smtp/send-raw-mail';
export { ServiceProcess, type ServiceName, type StartOptions, type Exit } from './processes/service-process';
export { MailroomStack, TEST_API_KEY, type StackOptions, type ApiResponse } from './processes/mailroom-stack';
export { repoRoot } from './processes/repo-root';
export {
  uniqueNamespace,
  deleteNamespace,
  namespaceStreamNames,
  kvStreamName,
  objectStoreStreamName,
  TEST_NATS_URL,
  withJetStream,
} from './nats/test-namespace';
export { NatsServerProcess } from './nats/nats-server-process';
export { NatsNoise } from './nats/nats-noise';
export { NatsCluster, type NatsClusterOptions, type StreamPlacement, type ConsumerState } from './nats/nats-cluster';
export { type ClusterNode, type ClusterNodePorts } from './nats/cluster-node';
export { natsServerBinaries, defaultNatsServerBinary, natsServerBinaryAt, type NatsServerBinary } from './nats/nats-server-binaries';
export { maxInWindow, maxInClosedWindow, observedRate, longestGap } from './arrival-windows';
export { ManualClock } from './manual-clock';
