// Looking up what a run of the program on the fake AWS registered: by Pulumi type token and name.
import assert from "node:assert/strict";
import { Deployment, RegisteredResource } from "../offline/run";

/** The type tokens of the resources the stack registers. */
export const T = {
    repository: "aws:ecr/repository:Repository",
    lifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    image: "docker:index/image:Image",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    cluster: "aws:ecs/cluster:Cluster",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    capacityProvider: "aws:ecs/capacityProvider:CapacityProvider",
    clusterCapacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    service: "aws:ecs/service:Service",
    scalableTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
} as const;

export type Json = Record<string, unknown>;

/** Every resource of `type`. */
export function all(deployment: Deployment, type: string): RegisteredResource[] {
    return deployment.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (named `name`); fails when there is none or more than one. */
export function one(deployment: Deployment, type: string, name?: string): RegisteredResource {
    const found = all(deployment, type).filter((r) => name === undefined || r.name === name);
    assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

export const input = (deployment: Deployment, type: string, name?: string) => one(deployment, type, name).inputs as Json;
export const state = (deployment: Deployment, type: string, name?: string) => one(deployment, type, name).state as Json;
