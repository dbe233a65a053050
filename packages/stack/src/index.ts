export { chooseLogFormat, type LineFormatter, type LogFormat, lineFormatter } from './log-format.ts';
export { turnOnDeviceTracking } from './parts/device-tracking.ts';
export { LOCAL_BUCKET, type LocalS3, startLocalS3 } from './parts/s3.ts';
export { assertPortsFree, freePort, PortsInUseError } from './ports.ts';
export { type DemoUser, loadOrCreateDemoUsers } from './run/demo-users.ts';
export { onParentGone } from './run/parent-watch.ts';
export { describeExit, type Exit, runStep } from './run/processes.ts';
export {
  projectFunctionsFile,
  type RunningStack,
  type StackOptions,
  startStack,
  webOrigins,
} from './start-stack.ts';
export * from './static-server/index.ts';
export { currentWebBuild, ensureWebBuild, repoRoot } from './web-build.ts';
export * from './wiring/index.ts';
