import { describeOrderPipeline } from './order-pipeline-suite.ts';
import { awsTarget } from './pipeline-target.ts';

await describeOrderPipeline(awsTarget);
