import { loadStackConfig } from "./config";
import { EcsOnEc2Stack } from "./stack";

// Config is validated first, so a bad value stops the program before any resource is registered.
const config = loadStackConfig();
const stack = new EcsOnEc2Stack("ecs-on-ec2", config);

export const url = stack.url;
export const repositoryUrl = stack.repositoryUrl;
export const imageRef = stack.imageRef;
export const clusterName = stack.clusterName;
export const serviceName = stack.serviceName;
export const autoScalingGroupName = stack.autoScalingGroupName;
export const logGroupName = stack.logGroupName;
