// Baselines are ordinary policy documents; this builds one and validates it when the module loads.
import { PolicyDocument, type PolicyDocumentInput } from '../policy/document.js';

/** The task fits: enough free cores, and enough free memory where the node models memory. */
export const FITS = 'node.free_cores_after >= 0 and node.free_memory_after >= 0';

export function baseline(doc: Omit<PolicyDocumentInput, 'author'>): PolicyDocument {
  return PolicyDocument.parse({ filter: FITS, ...doc, author: 'aurora-baselines' });
}
