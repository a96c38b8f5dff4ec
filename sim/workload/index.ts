// Workload generators and importers: the public surface of sim/workload.
export { ArrivalParams, ArrivalPattern, arrivalTimes, gapStatistics } from './arrivals.js';
export { binpackScenario, binpackHoldTime, type BinpackScenarioOptions } from './binpack-scenario.js';
export { CLOUD_HOSTS, DEVICES, EDGE_SERVERS, type NodeType } from './catalogue.js';
export { DEEPRM, deeprmJob, type DeepRmJob } from './deeprm.js';
export { defaultParams } from './defaults.js';
export { FLEETS, FLEET_NAMES, fleetNodes, autoNodeCount, type FleetName } from './fleets.js';
export { canonicalJson, generateFromParams, generateScenario, GENERATOR_VERSION, type GenerateOptions } from './generate.js';
export { ALIBABA_2017_MAPPING, importAlibaba2017, type Alibaba2017Options } from './import-alibaba2017.js';
export { AZURE_2017_MAPPING, importAzure2017, type Azure2017Options } from './import-azure2017.js';
export { importBinpack, type BinpackImportOptions } from './import-binpack.js';
export { WorkloadImportError } from './import-error.js';
export { IMPORT_FORMATS, importScenario, isImportFormat, type ImportFormat, type ImportOptions } from './importers.js';
export { parseJsonText } from './json-text.js';
export { LEVEL_ANCHORS, levelName, levelSize, type LevelSize } from './levels.js';
export { GeneratorParams, mergeParams, ParamsError, parseParams, TASK_CLASSES, TaskMix, type ParamsOverrides, type TaskClass } from './params.js';
export { generateWeibullBinpack, WEIBULL_BINPACK, type BinpackInstance } from './weibull-binpack.js';
