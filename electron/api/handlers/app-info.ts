import type { ApiHandlers } from '../transport/contract.ts';
import { modelSummary } from '../services/models/active-model.ts';
import { appVersion } from '../services/app/app-paths.ts';
import type { ServiceContext } from '../context.ts';

export function appInfoHandlers(c: ServiceContext): Pick<ApiHandlers, 'app.info'> {
  return {
    'app.info': async () => {
      // The backend is chosen in the model's worker; a model that cannot load still leaves the rest of the app usable.
      const { backend, backendDetails } = await c.classifier.start().then(
        (ready) => ({ backend: ready.backend, backendDetails: ready.backendDetails ?? null }),
        (err: Error) => ({ backend: 'Unavailable: the model could not be loaded', backendDetails: err.message }),
      );
      return {
        app: 'SER Studio',
        version: appVersion(),
        transport: c.transport,
        backend,
        backendDetails,
        model: modelSummary(c.model),
        database: c.db.name,
        node: process.versions.node,
        electron: process.versions.electron ?? null,
      };
    },
  };
}
