import { describeOrderPipeline } from './order-pipeline-suite.ts';
import { localCloudTarget } from './pipeline-target.ts';

await describeOrderPipeline(localCloudTarget);
