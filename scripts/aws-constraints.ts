// Writes offline/awsRules/apiConstraints.json: for each fake-AWS rule that checks a member of an AWS API, the
// member's constraints (length, pattern, range, enum) as AWS's own API models (botocore's service-2.json) state
// them. tests/apiConstraints.test.ts probes each rule against that file, so the fake is exactly as strict as AWS.
// A developer runs it (npm run aws:constraints [-- <botocore data folder>]) and commits the file; CI only reads it.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { repoRoot } from "../infra/paths";

/** A member's constraints, as the model states them (Java regex patterns, unanchored: AWS matches the whole value). */
export interface Constraints {
    readonly min?: number;
    readonly max?: number;
    readonly pattern?: string;
    readonly enum?: readonly string[];
}

/** Where AWS documents a stricter rule than its model states: the rule keeps it, the test checks it instead. */
interface Documented extends Constraints {
    readonly url: string;
    readonly why: string;
}

interface Mapping {
    /** Resource type or invoke token, and the property path the rule table keys its check by. */
    readonly rule: string;
    readonly property: string;
    /** botocore service folder, structure shape, and member; a list member's constraints are its items'. */
    readonly service: string;
    readonly shape: string;
    readonly member: string;
    /** The rule checks a list of such values (each(...)), not one value. */
    readonly list?: boolean;
    /** A value the rule accepts, which the test pads or cuts to probe the length bounds. */
    readonly sample?: string;
    /** Further values to probe, for patterns. */
    readonly probes?: readonly string[];
    readonly documented?: Documented;
}

const cloudWatchAlarm = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html";
const arnFormat = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html";
const ec2Api = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference";
const ec2ResourceIds = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html";
const egressRule = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ipv4Octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const ecsApi = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference";
const scheduleRule = "aws:scheduler/schedule:Schedule";
const ecsTarget = "target.ecsParameters";
// A Service Connect name (a port mapping's, a service's portName and discoveryName): up to 64 lower-case letters,
// digits, _ and -, not starting with -.
const serviceConnectName = { max: 64, pattern: "[a-z0-9_][a-z0-9_-]*" };
const serviceConnectNameProbes = ["http", "orders_v2", "http-8080", "-http", "Http", "a.b", "_a"];
// A Cloud Map namespace as ECS takes it: its ARN, or a name of up to 1024 characters without > < " or /.
const cloudMapNamespace = { min: 1, max: 1024, pattern: 'arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:\\d{12}:namespace/ns-[a-z0-9]+|[^<>"/]*' };
const cloudMapNamespaceProbes = ["arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc123", "dev.local", "a/b", "a<b", 'a"b'];
// Scheduler's expressions (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html): at(), rate() with
// 1 minute, hour or day or more minutes, hours or days, or cron() with six fields, exactly one of day-of-month and day-of-week a ?.
const cronField = "[0-9A-Z,*/?#-]+";
const notQuestion = "(?!\\? )";
const scheduleExpressionPattern = [
    "at\\(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\)",
    // The unit agrees with the number (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html).
    "rate\\((1 (minute|hour|day)|([2-9]|[1-9]\\d+) (minutes|hours|days))\\)",
    `cron\\(${cronField} ${cronField} \\? ${cronField} ${notQuestion}${cronField} ${cronField}\\)`,
    `cron\\(${cronField} ${cronField} ${notQuestion}${cronField} ${cronField} \\? ${cronField}\\)`,
].join("|");

/** Our rule properties (Pulumi/Terraform names) to the API members they become. */
const mappings: readonly Mapping[] = [
    // ECR
    { rule: "aws:ecr/repository:Repository", property: "name", service: "ecr", shape: "CreateRepositoryRequest", member: "repositoryName",
        sample: "app", probes: ["a__b", "a--b", "a---b", "a___b", "team/app", "App", "a-", "-a", "a//b"] },
    { rule: "aws:ecr/repository:Repository", property: "imageTagMutability", service: "ecr", shape: "CreateRepositoryRequest", member: "imageTagMutability" },
    { rule: "aws:ecr/repository:Repository", property: "encryptionConfigurations.*.encryptionType", service: "ecr", shape: "EncryptionConfiguration", member: "encryptionType" },
    { rule: "aws:ecr/lifecyclePolicy:LifecyclePolicy", property: "repository", service: "ecr", shape: "PutLifecyclePolicyRequest", member: "repositoryName",
        sample: "app", probes: ["a__b", "a--b"] },
    { rule: "aws:ecr/lifecyclePolicy:LifecyclePolicy", property: "policy", service: "ecr", shape: "PutLifecyclePolicyRequest", member: "lifecyclePolicyText", sample: "{}" },
    { rule: "aws:ecr/getAuthorizationToken:getAuthorizationToken", property: "registryId", service: "ecr", shape: "GetAuthorizationTokenRequest",
        member: "registryIds", sample: "123456789012", probes: ["12345678901", "1234567890123", "12345678901a"] },
    // CloudWatch Logs and CloudWatch
    { rule: "aws:cloudwatch/logGroup:LogGroup", property: "name", service: "logs", shape: "CreateLogGroupRequest", member: "logGroupName",
        sample: "/ecs/app", probes: ["/ecs/my app", "/ecs/app#1"] },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "name", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "AlarmName", sample: "alarm" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "alarmDescription", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "AlarmDescription", sample: "d" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "comparisonOperator", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "ComparisonOperator" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "evaluationPeriods", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "EvaluationPeriods" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "datapointsToAlarm", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "DatapointsToAlarm" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "period", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "Period",
        // The model says at least 1; the reference says 10, 20, 30 or a multiple of 60.
        documented: { min: 10, url: cloudWatchAlarm, why: "Period: valid values are 10, 20, 30, and any multiple of 60" } },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "statistic", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "Statistic" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "metricName", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "MetricName", sample: "RequestCount" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "namespace", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "Namespace",
        sample: "AWS/ApplicationELB", probes: [":AWS", "A:B"] },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "treatMissingData", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "TreatMissingData",
        sample: "missing",
        // The model has a free string of 1-255; the reference lists the four values.
        documented: { enum: ["breaching", "notBreaching", "ignore", "missing"], url: cloudWatchAlarm, why: "TreatMissingData: valid values" } },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "alarmActions", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "AlarmActions",
        list: true, sample: "arn:aws:sns:us-east-1:123456789012:alarms",
        documented: { pattern: "arn:aws[a-z-]*:.*", url: cloudWatchAlarm, why: "AlarmActions: each action is an ARN" } },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "okActions", service: "cloudwatch", shape: "PutMetricAlarmInput", member: "OKActions",
        list: true, sample: "arn:aws:sns:us-east-1:123456789012:alarms",
        documented: { pattern: "arn:aws[a-z-]*:.*", url: cloudWatchAlarm, why: "OKActions: each action is an ARN" } },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "metricQueries.*.id", service: "cloudwatch", shape: "MetricDataQuery", member: "Id",
        sample: "errors", probes: ["Errors", "5xx", "rate_1"],
        documented: { pattern: "[a-z][a-zA-Z0-9_]*", url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
            why: "Id: only numbers, letters and underscore, and the first character must be a lowercase letter" } },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "metricQueries.*.expression", service: "cloudwatch", shape: "MetricDataQuery", member: "Expression", sample: "m1" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "metricQueries.*.metric.metricName", service: "cloudwatch", shape: "Metric", member: "MetricName", sample: "RequestCount" },
    { rule: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "metricQueries.*.metric.namespace", service: "cloudwatch", shape: "Metric", member: "Namespace",
        sample: "AWS/ApplicationELB", probes: [":AWS"] },
    // EC2
    { rule: "aws:ec2/launchTemplate:LaunchTemplate", property: "name", service: "ec2", shape: "CreateLaunchTemplateRequest", member: "LaunchTemplateName",
        sample: "host-template", probes: ["host template", "host(1).v2/x_y"] },
    { rule: "aws:ec2/launchTemplate:LaunchTemplate", property: "description", service: "ec2", shape: "CreateLaunchTemplateRequest", member: "VersionDescription", sample: "d" },
    { rule: "aws:ec2/launchTemplate:LaunchTemplate", property: "metadataOptions.httpEndpoint", service: "ec2", shape: "LaunchTemplateInstanceMetadataOptionsRequest", member: "HttpEndpoint" },
    { rule: "aws:ec2/launchTemplate:LaunchTemplate", property: "metadataOptions.httpTokens", service: "ec2", shape: "LaunchTemplateInstanceMetadataOptionsRequest", member: "HttpTokens" },
    { rule: "aws:ec2/launchTemplate:LaunchTemplate", property: "blockDeviceMappings.*.ebs.volumeType", service: "ec2", shape: "LaunchTemplateEbsBlockDeviceRequest", member: "VolumeType" },
    // A security group rule as the provider sends it (AuthorizeSecurityGroupEgress's IpPermission): the model
    // states no constraint on these strings, the references do.
    { rule: egressRule, property: "description", service: "ec2", shape: "IpRange", member: "Description",
        sample: "Postgres orders-db", probes: ["SMTP & relay", "[db] {x}!$*#,@+=;:/()._-", "the hosts' db", "tasks -> db", "tasks → db", "a\tb"],
        documented: { max: 255, pattern: "[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]*", url: `${ec2Api}/API_IpRange.html`,
            why: "Description: up to 255 characters; allowed characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*" } },
    { rule: egressRule, property: "cidrIpv4", service: "ec2", shape: "IpRange", member: "CidrIp",
        sample: "10.0.0.0/16", probes: ["0.0.0.0/0", "203.0.113.25/32", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/16", "10.0.0.0", "::/0", "2001:db8::/32"],
        documented: { pattern: `${ipv4Octet}(\\.${ipv4Octet}){3}/(3[0-2]|[12]?[0-9])`, url: `${ec2Api}/API_IpRange.html`,
            why: "CidrIp: the IPv4 address range, in CIDR notation (the provider also wants its network address, which the probes keep to)" } },
    { rule: egressRule, property: "referencedSecurityGroupId", service: "ec2", shape: "UserIdGroupPair", member: "GroupId",
        sample: "sg-0123456789abcdef0", probes: ["sg-0a1b2c3d", "sg-0A1B2C3D", "sg-0a1b2c3", "sg-0123456789abcdef", "sg-hosts", "pl-0a1b2c3d"],
        documented: { pattern: "sg-([0-9a-f]{8}|[0-9a-f]{17})", url: ec2ResourceIds, why: "a security group ID: sg- and 8 or 17 hexadecimal characters" } },
    { rule: egressRule, property: "securityGroupId", service: "ec2", shape: "AuthorizeSecurityGroupEgressRequest", member: "GroupId",
        sample: "sg-0123456789abcdef0", probes: ["sg-0a1b2c3d", "sg-0a1b2c3", "default"],
        documented: { pattern: "sg-([0-9a-f]{8}|[0-9a-f]{17})", url: ec2ResourceIds, why: "a security group ID: sg- and 8 or 17 hexadecimal characters" } },
    { rule: egressRule, property: "prefixListId", service: "ec2", shape: "PrefixListId", member: "PrefixListId",
        sample: "pl-63a5400a", probes: ["pl-0123456789abcdef0", "pl-63A5400A", "pl-63a540", "sg-63a5400a", "com.amazonaws.us-east-1.s3"],
        documented: { pattern: "pl-([0-9a-f]{8}|[0-9a-f]{17})", url: ec2ResourceIds, why: "a prefix list ID: pl- and 8 or 17 hexadecimal characters" } },
    // EC2 Auto Scaling
    { rule: "aws:autoscaling/group:Group", property: "name", service: "autoscaling", shape: "CreateAutoScalingGroupType", member: "AutoScalingGroupName",
        sample: "host-asg", probes: ["host\u0000asg", "host\u0007asg", "hosts-\u{1F680}", "host\uFFFEasg", "host\tasg"] },
    { rule: "aws:autoscaling/group:Group", property: "tags.*.key", service: "autoscaling", shape: "Tag", member: "Key", sample: "team" },
    { rule: "aws:autoscaling/group:Group", property: "tags.*.value", service: "autoscaling", shape: "Tag", member: "Value", sample: "v" },
    { rule: "aws:autoscaling/group:Group", property: "instanceRefresh.strategy", service: "autoscaling", shape: "StartInstanceRefreshType", member: "Strategy" },
    { rule: "aws:autoscaling/group:Group", property: "instanceRefresh.preferences.minHealthyPercentage", service: "autoscaling", shape: "RefreshPreferences", member: "MinHealthyPercentage" },
    { rule: "aws:autoscaling/group:Group", property: "instanceRefresh.preferences.maxHealthyPercentage", service: "autoscaling", shape: "RefreshPreferences", member: "MaxHealthyPercentage" },
    { rule: "aws:autoscaling/group:Group", property: "metricsGranularity", service: "autoscaling", shape: "EnableMetricsCollectionQuery", member: "Granularity",
        sample: "1Minute",
        documented: { enum: ["1Minute"], url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnableMetricsCollection.html",
            why: "Granularity: the only valid value is 1Minute" } },
    // Application Auto Scaling
    { rule: "aws:appautoscaling/target:Target", property: "serviceNamespace", service: "application-autoscaling", shape: "RegisterScalableTargetRequest", member: "ServiceNamespace" },
    { rule: "aws:appautoscaling/target:Target", property: "resourceId", service: "application-autoscaling", shape: "RegisterScalableTargetRequest", member: "ResourceId",
        sample: "service/cluster/app" },
    { rule: "aws:appautoscaling/policy:Policy", property: "name", service: "application-autoscaling", shape: "PutScalingPolicyRequest", member: "PolicyName",
        sample: "requests-per-target", probes: ["política", "p\u0000", "a b", "p~"] },
    { rule: "aws:appautoscaling/policy:Policy", property: "serviceNamespace", service: "application-autoscaling", shape: "PutScalingPolicyRequest", member: "ServiceNamespace" },
    { rule: "aws:appautoscaling/policy:Policy", property: "resourceId", service: "application-autoscaling", shape: "PutScalingPolicyRequest", member: "ResourceId",
        sample: "service/cluster/app" },
    { rule: "aws:appautoscaling/policy:Policy", property: "policyType", service: "application-autoscaling", shape: "PutScalingPolicyRequest", member: "PolicyType" },
    { rule: "aws:appautoscaling/policy:Policy", property: "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel",
        service: "application-autoscaling", shape: "PredefinedMetricSpecification", member: "ResourceLabel", sample: "app/alb/1/targetgroup/tg/2" },
    // Elastic Load Balancing v2
    { rule: "aws:lb/loadBalancer:LoadBalancer", property: "loadBalancerType", service: "elbv2", shape: "CreateLoadBalancerInput", member: "Type" },
    { rule: "aws:lb/loadBalancer:LoadBalancer", property: "ipAddressType", service: "elbv2", shape: "CreateLoadBalancerInput", member: "IpAddressType" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "protocol", service: "elbv2", shape: "CreateTargetGroupInput", member: "Protocol" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "port", service: "elbv2", shape: "CreateTargetGroupInput", member: "Port" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "targetType", service: "elbv2", shape: "CreateTargetGroupInput", member: "TargetType" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "healthCheck.interval", service: "elbv2", shape: "CreateTargetGroupInput", member: "HealthCheckIntervalSeconds" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "healthCheck.timeout", service: "elbv2", shape: "CreateTargetGroupInput", member: "HealthCheckTimeoutSeconds" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "healthCheck.healthyThreshold", service: "elbv2", shape: "CreateTargetGroupInput", member: "HealthyThresholdCount" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "healthCheck.unhealthyThreshold", service: "elbv2", shape: "CreateTargetGroupInput", member: "UnhealthyThresholdCount" },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "healthCheck.protocol", service: "elbv2", shape: "CreateTargetGroupInput", member: "HealthCheckProtocol",
        documented: { enum: ["HTTP", "HTTPS", "TCP"], url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
            why: "HealthCheckProtocol: the GENEVE, TLS, UDP, and TCP_UDP protocols are not supported for health checks" } },
    { rule: "aws:lb/targetGroup:TargetGroup", property: "healthCheck.path", service: "elbv2", shape: "CreateTargetGroupInput", member: "HealthCheckPath",
        sample: "/health",
        documented: { pattern: "/.*", url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
            why: "HealthCheckPath: the destination for health checks, a path such as /" } },
    { rule: "aws:lb/listener:Listener", property: "port", service: "elbv2", shape: "CreateListenerInput", member: "Port" },
    { rule: "aws:lb/listener:Listener", property: "protocol", service: "elbv2", shape: "CreateListenerInput", member: "Protocol" },
    { rule: "aws:lb/listener:Listener", property: "defaultActions.*.type", service: "elbv2", shape: "Action", member: "Type" },
    { rule: "aws:lb/listener:Listener", property: "defaultActions.*.redirect.statusCode", service: "elbv2", shape: "RedirectActionConfig", member: "StatusCode" },
    { rule: "aws:lb/listener:Listener", property: "defaultActions.*.redirect.protocol", service: "elbv2", shape: "RedirectActionConfig", member: "Protocol",
        sample: "HTTPS", probes: ["HTTP", "#{protocol}", "https", "FTP"] },
    { rule: "aws:lb/listener:Listener", property: "defaultActions.*.fixedResponse.statusCode", service: "elbv2", shape: "FixedResponseActionConfig", member: "StatusCode",
        sample: "404", probes: ["200", "503", "302", "4040", "40"] },
    { rule: "aws:lb/listener:Listener", property: "defaultActions.*.fixedResponse.contentType", service: "elbv2", shape: "FixedResponseActionConfig", member: "ContentType",
        sample: "text/plain",
        documented: { enum: ["text/plain", "text/css", "text/html", "application/javascript", "application/json"],
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html", why: "ContentType: valid values" } },
    { rule: "aws:lb/listener:Listener", property: "defaultActions.*.fixedResponse.messageBody", service: "elbv2", shape: "FixedResponseActionConfig", member: "MessageBody", sample: "Not found" },
    { rule: "aws:lb/listenerRule:ListenerRule", property: "priority", service: "elbv2", shape: "CreateRuleInput", member: "Priority" },
    { rule: "aws:lb/listenerRule:ListenerRule", property: "actions.*.type", service: "elbv2", shape: "Action", member: "Type" },
    // IAM
    { rule: "aws:iam/role:Role", property: "name", service: "iam", shape: "CreateRoleRequest", member: "RoleName", sample: "task-role", probes: ["task role", "a+=,.@-_b"] },
    { rule: "aws:iam/role:Role", property: "description", service: "iam", shape: "CreateRoleRequest", member: "Description", sample: "d", probes: ["tasks → AWS", "café"] },
    { rule: "aws:iam/rolePolicy:RolePolicy", property: "name", service: "iam", shape: "PutRolePolicyRequest", member: "PolicyName", sample: "policy", probes: ["my policy"] },
    { rule: "aws:iam/rolePolicy:RolePolicy", property: "role", service: "iam", shape: "PutRolePolicyRequest", member: "RoleName", sample: "task-role" },
    { rule: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", property: "role", service: "iam", shape: "AttachRolePolicyRequest", member: "RoleName", sample: "task-role" },
    { rule: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", property: "policyArn", service: "iam", shape: "AttachRolePolicyRequest", member: "PolicyArn",
        sample: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        documented: { pattern: "arn:aws[a-z-]*:iam::(aws|\\d{12}):policy/(.+/)?[\\w+=,.@-]+", url: arnFormat, why: "a managed policy's ARN" } },
    { rule: "aws:iam/instanceProfile:InstanceProfile", property: "name", service: "iam", shape: "CreateInstanceProfileRequest", member: "InstanceProfileName", sample: "profile" },
    { rule: "aws:iam/instanceProfile:InstanceProfile", property: "role", service: "iam", shape: "AddRoleToInstanceProfileRequest", member: "RoleName", sample: "task-role" },
    // S3
    { rule: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        property: "rules.*.applyServerSideEncryptionByDefault.sseAlgorithm", service: "s3", shape: "ServerSideEncryptionByDefault", member: "SSEAlgorithm" },
    { rule: "aws:s3/bucketOwnershipControls:BucketOwnershipControls", property: "rule.objectOwnership", service: "s3", shape: "OwnershipControlsRule", member: "ObjectOwnership" },
    { rule: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", property: "rules.*.status", service: "s3", shape: "LifecycleRule", member: "Status" },
    // ACM and Route 53
    { rule: "aws:acm/certificate:Certificate", property: "domainName", service: "acm", shape: "RequestCertificateRequest", member: "DomainName",
        sample: "app.example.com", probes: ["*.example.com", "my_app.example.com", "localhost", "-a.example.com", "a.example.com."],
        documented: { max: 64, url: "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
            why: "DomainName: the first domain name you enter cannot exceed 64 octets, including periods (RFC 5280's Common Name)" } },
    { rule: "aws:acm/certificate:Certificate", property: "validationMethod", service: "acm", shape: "RequestCertificateRequest", member: "ValidationMethod" },
    { rule: "aws:route53/record:Record", property: "type", service: "route53", shape: "ResourceRecordSet", member: "Type" },
    { rule: "aws:route53/record:Record", property: "ttl", service: "route53", shape: "ResourceRecordSet", member: "TTL" },
    { rule: "aws:route53/record:Record", property: "records", service: "route53", shape: "ResourceRecord", member: "Value", list: true, sample: "a",
        // An empty value is no record: https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecord.html
        documented: { min: 1, url: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecord.html", why: "Value: the current or new DNS record value" } },
    { rule: "aws:route53/record:Record", property: "zoneId", service: "route53", shape: "ChangeResourceRecordSetsRequest", member: "HostedZoneId",
        sample: "Z0123456789ABCDEFGHIJ",
        documented: { min: 1, pattern: "[A-Z0-9]+", url: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html",
            why: "HostedZoneId: the ID of the hosted zone, upper-case letters and digits" } },
    // WAFv2
    { rule: "aws:wafv2/webAcl:WebAcl", property: "name", service: "wafv2", shape: "CreateWebACLRequest", member: "Name", sample: "web-acl", probes: ["web.acl", "web acl"] },
    { rule: "aws:wafv2/webAcl:WebAcl", property: "scope", service: "wafv2", shape: "CreateWebACLRequest", member: "Scope" },
    { rule: "aws:wafv2/webAcl:WebAcl", property: "description", service: "wafv2", shape: "CreateWebACLRequest", member: "Description",
        sample: "Managed rules", probes: ["rules ", " rules", "a b", "ab"] },
    { rule: "aws:wafv2/webAcl:WebAcl", property: "visibilityConfig.metricName", service: "wafv2", shape: "VisibilityConfig", member: "MetricName",
        sample: "web-acl", probes: ["web acl", "a#b:c.d-e/f"] },
    { rule: "aws:wafv2/webAcl:WebAcl", property: "rules.*.name", service: "wafv2", shape: "Rule", member: "Name", sample: "rate-limit" },
    { rule: "aws:wafv2/webAcl:WebAcl", property: "rules.*.priority", service: "wafv2", shape: "Rule", member: "Priority" },
    { rule: "aws:wafv2/webAcl:WebAcl", property: "rules.*.statement.rateBasedStatement.limit", service: "wafv2", shape: "RateBasedStatement", member: "Limit" },
    { rule: "aws:wafv2/webAcl:WebAcl", property: "rules.*.statement.rateBasedStatement.aggregateKeyType", service: "wafv2", shape: "RateBasedStatement", member: "AggregateKeyType" },
    { rule: "aws:wafv2/webAclAssociation:WebAclAssociation", property: "webAclArn", service: "wafv2", shape: "AssociateWebACLRequest", member: "WebACLArn",
        sample: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/web-acl/a1b2",
        documented: { pattern: "arn:aws[a-z-]*:wafv2:[a-z0-9-]*:\\d{12}:regional/webacl/.+", url: "https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html",
            why: "WebACLArn: the ARN of a regional web ACL" } },
    // ECS
    { rule: "aws:ecs/capacityProvider:CapacityProvider", property: "autoScalingGroupProvider.managedScaling.targetCapacity", service: "ecs", shape: "ManagedScaling", member: "targetCapacity" },
    { rule: "aws:ecs/capacityProvider:CapacityProvider", property: "autoScalingGroupProvider.managedScaling.status", service: "ecs", shape: "ManagedScaling", member: "status" },
    { rule: "aws:ecs/capacityProvider:CapacityProvider", property: "autoScalingGroupProvider.managedDraining", service: "ecs", shape: "AutoScalingGroupProvider", member: "managedDraining" },
    { rule: "aws:ecs/capacityProvider:CapacityProvider", property: "autoScalingGroupProvider.managedTerminationProtection", service: "ecs", shape: "AutoScalingGroupProvider",
        member: "managedTerminationProtection" },
    { rule: "aws:ecs/cluster:Cluster", property: "settings.*.name", service: "ecs", shape: "ClusterSetting", member: "name" },
    { rule: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", property: "defaultCapacityProviderStrategies.*.weight", service: "ecs", shape: "CapacityProviderStrategyItem", member: "weight" },
    { rule: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", property: "defaultCapacityProviderStrategies.*.base", service: "ecs", shape: "CapacityProviderStrategyItem", member: "base" },
    { rule: "aws:ecs/service:Service", property: "capacityProviderStrategies.*.weight", service: "ecs", shape: "CapacityProviderStrategyItem", member: "weight" },
    { rule: "aws:ecs/service:Service", property: "capacityProviderStrategies.*.base", service: "ecs", shape: "CapacityProviderStrategyItem", member: "base" },
    { rule: "aws:ecs/service:Service", property: "propagateTags", service: "ecs", shape: "CreateServiceRequest", member: "propagateTags" },
    { rule: "aws:ecs/service:Service", property: "availabilityZoneRebalancing", service: "ecs", shape: "CreateServiceRequest", member: "availabilityZoneRebalancing" },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "networkMode", service: "ecs", shape: "RegisterTaskDefinitionRequest", member: "networkMode" },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "requiresCompatibilities", service: "ecs", shape: "RegisterTaskDefinitionRequest", member: "requiresCompatibilities", list: true },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "containerDefinitions.*.portMappings.*.protocol", service: "ecs", shape: "PortMapping", member: "protocol" },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "containerDefinitions.*.logConfiguration.logDriver", service: "ecs", shape: "LogConfiguration", member: "logDriver" },
    { rule: "aws:ecs/cluster:Cluster", property: "configuration.executeCommandConfiguration.logging", service: "ecs", shape: "ExecuteCommandConfiguration", member: "logging" },
    { rule: "aws:ecs/cluster:Cluster", property: "configuration.executeCommandConfiguration.logConfiguration.cloudWatchLogGroupName", service: "ecs",
        shape: "ExecuteCommandLogConfiguration", member: "cloudWatchLogGroupName", sample: "/ecs/ecs-on-ec2-dev/exec/sessions" },
    { rule: "aws:ecs/cluster:Cluster", property: "serviceConnectDefaults.namespace", service: "ecs", shape: "ClusterServiceConnectDefaultsRequest", member: "namespace",
        sample: "ecs-on-ec2-dev", probes: cloudMapNamespaceProbes,
        documented: { ...cloudMapNamespace, url: `${ecsApi}/API_ClusterServiceConnectDefaultsRequest.html`,
            why: "namespace: the namespace name or full ARN; the name can include up to 1024 characters and can't include >, <, \" or /" } },
    { rule: "aws:ecs/service:Service", property: "serviceConnectConfiguration.namespace", service: "ecs", shape: "ServiceConnectConfiguration", member: "namespace",
        sample: "ecs-on-ec2-dev", probes: cloudMapNamespaceProbes,
        documented: { ...cloudMapNamespace, url: `${ecsApi}/API_ServiceConnectConfiguration.html`,
            why: "namespace: the namespace name or full ARN; the name can include up to 1024 characters and can't include >, <, \" or /" } },
    { rule: "aws:ecs/service:Service", property: "serviceConnectConfiguration.services.*.portName", service: "ecs", shape: "ServiceConnectService", member: "portName",
        sample: "http", probes: serviceConnectNameProbes,
        documented: { ...serviceConnectName, url: `${ecsApi}/API_PortMapping.html`,
            why: "portName is a port mapping's name: up to 64 characters, lowercase letters, numbers, underscores and hyphens, not starting with a hyphen" } },
    { rule: "aws:ecs/service:Service", property: "serviceConnectConfiguration.services.*.discoveryName", service: "ecs", shape: "ServiceConnectService", member: "discoveryName",
        sample: "orders", probes: serviceConnectNameProbes,
        documented: { ...serviceConnectName, url: `${ecsApi}/API_ServiceConnectService.html`,
            why: "discoveryName: up to 64 characters, lowercase letters, numbers, underscores and hyphens, not starting with a hyphen" } },
    { rule: "aws:ecs/service:Service", property: "serviceConnectConfiguration.services.*.clientAlias.*.port", service: "ecs", shape: "ServiceConnectClientAlias", member: "port" },
    { rule: "aws:ecs/service:Service", property: "serviceConnectConfiguration.services.*.clientAlias.*.dnsName", service: "ecs", shape: "ServiceConnectClientAlias", member: "dnsName",
        sample: "orders", probes: ["orders.internal", "my_db", "Orders", "-orders", "orders-", ".orders", "a b", "orders:8080"],
        documented: { max: 127, pattern: "[a-z0-9_.][a-z0-9_.-]*", url: `${ecsApi}/API_ServiceConnectClientAlias.html`,
            why: "dnsName: up to 127 characters, lowercase letters, numbers, underscores, hyphens and periods; can't start with a hyphen" } },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "volumes.*.name", service: "ecs", shape: "Volume", member: "name",
        sample: "ssm-agent", probes: ["ssm_agent", "SSM-Agent", "ssm agent", "ssm.agent", "ssm/agent"],
        documented: { min: 1, max: 255, pattern: "[a-zA-Z0-9_-]+", url: `${ecsApi}/API_Volume.html`,
            why: "name: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens" } },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "containerDefinitions.*.mountPoints.*.sourceVolume", service: "ecs", shape: "MountPoint", member: "sourceVolume",
        sample: "ssm-agent" },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "containerDefinitions.*.mountPoints.*.containerPath", service: "ecs", shape: "MountPoint", member: "containerPath",
        sample: "/var/lib/amazon/ssm" },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "containerDefinitions.*.portMappings.*.name", service: "ecs", shape: "PortMapping", member: "name",
        sample: "http", probes: serviceConnectNameProbes,
        documented: { ...serviceConnectName, url: `${ecsApi}/API_PortMapping.html`,
            why: "name: up to 64 characters, lowercase letters, numbers, underscores and hyphens; can't start with a hyphen" } },
    { rule: "aws:ecs/taskDefinition:TaskDefinition", property: "containerDefinitions.*.portMappings.*.appProtocol", service: "ecs", shape: "PortMapping", member: "appProtocol" },
    // EventBridge Scheduler
    { rule: scheduleRule, property: "name", service: "scheduler", shape: "CreateScheduleInput", member: "Name",
        sample: "ecs-on-ec2-dev-report", probes: ["report.v2", "report_1", "report 1", "report/1", "réport"] },
    { rule: scheduleRule, property: "description", service: "scheduler", shape: "CreateScheduleInput", member: "Description", sample: "d" },
    { rule: scheduleRule, property: "scheduleExpression", service: "scheduler", shape: "CreateScheduleInput", member: "ScheduleExpression",
        sample: "rate(1 hour)",
        probes: ["rate(5 minutes)", "rate(2 days)", "rate(1 day)", "rate(1 hours)", "rate(5 hour)", "rate(10 minutes)", "rate(0 hours)", "rate(1 week)", "rate(1.5 hours)", "cron(0 3 * * ? *)", "cron(0 3 ? * MON-FRI *)",
            "cron(0/15 * ? * * *)", "cron(0 3 * * * *)", "cron(0 3 ? * ? *)", "cron(0 3 * *)", "cron(0 3 * * ? * *)", "cron(0 3 l * ? *)",
            "at(2026-11-25T10:00:00)", "at(2026-11-25)", "every hour"],
        documented: { pattern: scheduleExpressionPattern, url: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html",
            why: "ScheduleExpression: at(yyyy-mm-ddThh:mm:ss), rate(value unit) with minute(s), hour(s) or day(s), singular for 1, or cron(six fields, ? in one of day-of-month and day-of-week)" } },
    { rule: scheduleRule, property: "scheduleExpressionTimezone", service: "scheduler", shape: "CreateScheduleInput", member: "ScheduleExpressionTimezone",
        sample: "Europe/Berlin" },
    { rule: scheduleRule, property: "flexibleTimeWindow.mode", service: "scheduler", shape: "FlexibleTimeWindow", member: "Mode" },
    { rule: scheduleRule, property: "target.arn", service: "scheduler", shape: "Target", member: "Arn", sample: "arn:aws:ecs:us-east-1:123456789012:cluster/dev" },
    { rule: scheduleRule, property: "target.roleArn", service: "scheduler", shape: "Target", member: "RoleArn",
        sample: "arn:aws:iam::123456789012:role/scheduler",
        probes: ["arn:aws:iam::123456789012:role/service-role/scheduler", "arn:aws-cn:iam::123456789012:role/scheduler", "arn:aws:iam::aws:role/scheduler",
            "arn:aws:iam:us-east-1:123456789012:role/scheduler", "arn:aws:iam::123456789012:role/a b", "arn:aws:iam::123456789012:user/scheduler",
            "arn:aws:iam::123456789012:role/"] },
    { rule: scheduleRule, property: `${ecsTarget}.taskDefinitionArn`, service: "scheduler", shape: "EcsParameters", member: "TaskDefinitionArn",
        sample: "arn:aws:ecs:us-east-1:123456789012:task-definition/ecs-on-ec2-dev-report:4",
        probes: ["ecs-on-ec2-dev-report", "ecs-on-ec2-dev-report:4", "arn:aws:ecs:us-east-1:123456789012:cluster/dev"],
        documented: { pattern: "arn:aws[a-z-]*:ecs:[a-z0-9-]*:(\\d{12}|aws)?:task-definition/.+", url: "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_EcsParameters.html",
            why: "TaskDefinitionArn: the Amazon Resource Name (ARN) of the task definition" } },
    { rule: scheduleRule, property: `${ecsTarget}.taskCount`, service: "scheduler", shape: "EcsParameters", member: "TaskCount" },
    { rule: scheduleRule, property: `${ecsTarget}.capacityProviderStrategies.*.capacityProvider`, service: "scheduler", shape: "CapacityProviderStrategyItem",
        member: "capacityProvider", sample: "hosts" },
    { rule: scheduleRule, property: `${ecsTarget}.capacityProviderStrategies.*.weight`, service: "scheduler", shape: "CapacityProviderStrategyItem", member: "weight" },
    { rule: scheduleRule, property: `${ecsTarget}.capacityProviderStrategies.*.base`, service: "scheduler", shape: "CapacityProviderStrategyItem", member: "base" },
    { rule: scheduleRule, property: `${ecsTarget}.propagateTags`, service: "scheduler", shape: "EcsParameters", member: "PropagateTags" },
    { rule: scheduleRule, property: "target.retryPolicy.maximumRetryAttempts", service: "scheduler", shape: "RetryPolicy", member: "MaximumRetryAttempts" },
    { rule: scheduleRule, property: "target.retryPolicy.maximumEventAgeInSeconds", service: "scheduler", shape: "RetryPolicy", member: "MaximumEventAgeInSeconds" },
    { rule: scheduleRule, property: "target.deadLetterConfig.arn", service: "scheduler", shape: "DeadLetterConfig", member: "Arn",
        sample: "arn:aws:sqs:us-east-1:123456789012:report-dlq", probes: ["arn:aws:sqs:us-east-1:123456789012:report.fifo", "arn:aws:sns:us-east-1:123456789012:topic"] },
    // SQS: the queue's other settings are CreateQueue's Attributes, a map of strings the model does not constrain.
    { rule: "aws:sqs/queue:Queue", property: "name", service: "sqs", shape: "CreateQueueRequest", member: "QueueName",
        sample: "report-dlq", probes: ["report_dlq", "report.fifo", "report.dlq", "report dlq", "report.fifo.fifo"],
        documented: { min: 1, max: 80, pattern: "[A-Za-z0-9_-]+(\\.fifo)?", url: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
            why: "QueueName: up to 80 characters, alphanumeric characters, hyphens and underscores; a FIFO queue's name ends in .fifo" } },
    // Cloud Map
    { rule: "aws:servicediscovery/httpNamespace:HttpNamespace", property: "name", service: "servicediscovery", shape: "CreateHttpNamespaceRequest", member: "Name",
        sample: "ecs-on-ec2-dev", probes: ["arn:aws:servicediscovery", "ARN:x", "dev local", "dév", "a<b/c"] },
    { rule: "aws:servicediscovery/httpNamespace:HttpNamespace", property: "description", service: "servicediscovery", shape: "CreateHttpNamespaceRequest",
        member: "Description", sample: "d" },
];

interface Shape {
    readonly type: string;
    readonly min?: number;
    readonly max?: number;
    readonly pattern?: string;
    readonly enum?: string[];
    readonly member?: { shape: string };
    readonly members?: Record<string, { shape: string }>;
}

type Shapes = Record<string, Shape>;

/** botocore's data folder, as the Python on PATH has it installed. */
function botocoreData(): string {
    const script = "import botocore,os;print(os.path.dirname(botocore.__file__))";
    return path.join(execFileSync("python3", ["-c", script], { encoding: "utf8" }).trim(), "data");
}

/** botocore's version, from the package the data folder belongs to. */
function botocoreVersion(data: string): string {
    const init = path.join(data, "..", "__init__.py");
    return fs.existsSync(init) ? /__version__ = '([^']+)'/.exec(fs.readFileSync(init, "utf8"))?.[1] ?? "unknown" : "unknown";
}

/** The newest API version of a service's model. */
function serviceShapes(data: string, service: string): { version: string; shapes: Shapes } {
    const version = fs.readdirSync(path.join(data, service)).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort().pop();
    if (version === undefined) {
        throw new Error(`no model of ${service} in ${data}`);
    }
    const model = JSON.parse(gunzipSync(fs.readFileSync(path.join(data, service, version, "service-2.json.gz"))).toString("utf8")) as { shapes: Shapes };
    return { version, shapes: model.shapes };
}

function constraintsOf(shape: Shape): Constraints {
    const { min, max, pattern, enum: values } = shape;
    return Object.fromEntries(Object.entries({ min, max, pattern, enum: values }).filter(([, v]) => v !== undefined)) as Constraints;
}

function entry(mapping: Mapping, shapes: Shapes, version: string) {
    const target = shapes[mapping.shape]?.members?.[mapping.member]?.shape;
    if (target === undefined) {
        throw new Error(`${mapping.service} has no member ${mapping.shape}.${mapping.member} (mapped from ${mapping.rule} ${mapping.property})`);
    }
    const list = shapes[target].type === "list";
    const valueShape = list ? shapes[target].member?.shape ?? target : target;
    const { documented, sample, probes } = mapping;
    return {
        rule: mapping.rule, property: mapping.property, list: mapping.list ?? false,
        model: { service: mapping.service, version, shape: mapping.shape, member: mapping.member, valueShape, type: shapes[valueShape].type },
        constraints: constraintsOf(shapes[valueShape]),
        ...(list ? { items: constraintsOf(shapes[target]) } : {}),
        ...(sample === undefined ? {} : { sample }),
        ...(probes === undefined ? {} : { probes }),
        ...(documented === undefined ? {} : { documented }),
    };
}

function main(data: string): void {
    const models = new Map<string, { version: string; shapes: Shapes }>();
    const entries = mappings.map((mapping) => {
        const model = models.get(mapping.service) ?? serviceShapes(data, mapping.service);
        models.set(mapping.service, model);
        return entry(mapping, model.shapes, model.version);
    });
    const out = path.join(repoRoot, "offline", "awsRules", "apiConstraints.json");
    const source = `botocore ${botocoreVersion(data)} service-2.json models (npm run aws:constraints)`;
    fs.writeFileSync(out, `${JSON.stringify({ source, rules: entries }, null, 2)}\n`);
    console.log(`${out}: ${entries.length} rules`);
}

main(process.argv[2] ?? botocoreData());
