import { buildApp } from '../src/app.ts';

// Entry point for the CDK CLI (`cdk.json`: "node --import tsx bin/app.ts"), which passes context through
// CDK_CONTEXT_JSON and the output folder through CDK_OUTDIR. Run alone (`npm run -w infra synth`)
// it writes the cloud assembly to ./cdk.out. cdk-nag findings fail the synth.
buildApp({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' }).app.synth();
