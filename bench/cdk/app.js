// The CDK baseline of scripts/bench-infra.sh: the README's stack as a CDK app - a VPC over 2 AZs, an ECS
// cluster on an Auto Scaling group capacity provider, and an ApplicationLoadBalancedEc2Service of 5
// bridge-mode tasks. A fixed account and region and AZs given to the VPC: synth needs no credentials,
// no network and no context lookups. `node bench/cdk/app.js [outdir]` writes the CloudFormation template.
"use strict";
const path = require("node:path");
const cdk = require("aws-cdk-lib");
const ec2 = require("aws-cdk-lib/aws-ec2");
const ecs = require("aws-cdk-lib/aws-ecs");
const autoscaling = require("aws-cdk-lib/aws-autoscaling");
const patterns = require("aws-cdk-lib/aws-ecs-patterns");

const app = new cdk.App({ outdir: process.argv[2] ?? path.join(__dirname, "cdk.out") });
const stack = new cdk.Stack(app, "EcsOnEc2", { env: { account: "123456789012", region: "us-east-1" } });

const vpc = new ec2.Vpc(stack, "Vpc", { availabilityZones: ["us-east-1a", "us-east-1b"], natGateways: 0,
    subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC }] });
const cluster = new ecs.Cluster(stack, "Cluster", { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
const hosts = new autoscaling.AutoScalingGroup(stack, "Hosts", {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    instanceType: new ec2.InstanceType("t3.small"),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    minCapacity: 2,
    maxCapacity: 4,
});
const capacityProvider = new ecs.AsgCapacityProvider(stack, "CapacityProvider", { autoScalingGroup: hosts });
cluster.addAsgCapacityProvider(capacityProvider);

new patterns.ApplicationLoadBalancedEc2Service(stack, "Service", {
    cluster,
    desiredCount: 5,
    memoryLimitMiB: 256,
    capacityProviderStrategies: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:stable"), containerPort: 80 },
    publicLoadBalancer: true,
});
// bridge is the EC2 task definition's default network mode.
app.synth();
