// Every rule of the pack, by domain. The pack (../index.ts) selects them and sets enforcement;
// per-environment levels and thresholds come from config/<stack>.json.
import { Policy } from "../lib/policy";
import { policies as aws } from "./aws";
import { policies as budget } from "./budget";
import { policies as deploy } from "./deploy";
import { policies as gcp } from "./gcp";
import { policies as graph } from "./graph";
import { policies as kubernetes } from "./kubernetes";
import { policies as model } from "./model";

export const allPolicies: Policy[] = [...aws, ...gcp, ...kubernetes, ...graph, ...model, ...budget, ...deploy];
