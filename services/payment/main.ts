import { createKit, loadConfig, runService } from '../kit/index.ts';
import { createPaymentApp } from './app.ts';

const kit = createKit(loadConfig('payment'), { withGatewayFaults: true });
runService(kit, createPaymentApp(kit));
