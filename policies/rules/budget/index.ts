// The budget rules of the pack, in the order they are reported.
import { Policy } from "../../lib/policy";
import { resilienceBudget } from "./resilienceBudget";

export const policies: Policy[] = [resilienceBudget];
