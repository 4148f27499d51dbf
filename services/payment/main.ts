import { createKit, loadConfig, runService } from '../kit/index.ts';
import { createPaymentApp, parseProcessingRange } from './app.ts';

const kit = createKit(loadConfig('payment'), { withGatewayFaults: true });
// PAYMENT_PROCESSING_MS="min-max" changes the simulated gateway time (benchmarks set it to 0-0).
const processingMs = parseProcessingRange(process.env.PAYMENT_PROCESSING_MS);
runService(kit, createPaymentApp(kit, processingMs ? { processingMs } : {}));
