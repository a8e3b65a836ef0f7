// Regional prerequisites: ACM certificates in the Region of what serves them, and alarms on
// Route 53 metrics in us-east-1, the only Region that has them.
import { certificateRegion, route53AlarmRegion } from "../../../../policies/rules/deploy";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { from, judge, TestStack } from "../graph/stack";

const LISTENER = "aws:lb/listener:Listener";
const CERT = "aws:acm/certificate:Certificate";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe("certificate-region", () => {
    it("Noncompliance 1: a us-west-2 listener given a us-east-1 certificate (through its validation)", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const west = stack.awsProvider("west", "us-west-2");
        const cert = stack.add(CERT, "cert", { domainName: "shop.example.com", validationMethod: "DNS" }, { provider: east });
        const validation = stack.add("aws:acm/certificateValidation:CertificateValidation", "cert", { certificateArn: from(cert) }, { provider: east });
        stack.add(LISTENER, "https", { port: 443, protocol: "HTTPS", certificateArn: from(validation) }, { provider: west });
        expectOne(await judge(certificateRegion, stack), "certificate-region", `${LISTENER} "https"`, `names ${CERT} "cert", which is in us-east-1, but this resource is in us-west-2`, "CertificateNotFound");
    });

    it("Noncompliance 2: CloudFront with a certificate ARN from eu-west-1", async () => {
        const stack = new TestStack();
        stack.add("aws:cloudfront/distribution:Distribution", "cdn", { viewerCertificate: { acmCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } });
        expectOne(await judge(certificateRegion, stack), "certificate-region", "which is in eu-west-1, but it must come from us-east-1", "InvalidViewerCertificate");
    });

    it("Compliance: certificates in the listener's own Region; an unknown Region is not judged", async () => {
        const stack = new TestStack();
        const west = stack.awsProvider("west", "us-west-2");
        const cert = stack.add(CERT, "cert", { domainName: "shop.example.com" }, { provider: west });
        stack.add(LISTENER, "https", { certificateArn: from(cert) }, { provider: west });
        const unknownRegion = stack.awsProvider("somewhere", UNKNOWN as unknown as string);
        stack.add(LISTENER, "other", { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }, { provider: unknownRegion });
        expectNone(await judge(certificateRegion, stack));
    });
});

describe("route53-alarm-region", () => {
    it("Noncompliance 1: an alarm on HealthCheckStatus created in us-west-2 never leaves INSUFFICIENT_DATA", async () => {
        const stack = new TestStack();
        const west = stack.awsProvider("west", "us-west-2");
        stack.add(ALARM, "site-down", { namespace: "AWS/Route53", metricName: "HealthCheckStatus", comparisonOperator: "LessThanThreshold", threshold: 1 }, { provider: west });
        expectOne(await judge(route53AlarmRegion, stack), "route53-alarm-region", `${ALARM} "site-down"`, "created in us-west-2", "INSUFFICIENT_DATA");
    });

    it("Compliance: the same alarm in us-east-1, an alarm on another namespace elsewhere, an unknown namespace", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const west = stack.awsProvider("west", "us-west-2");
        stack.add(ALARM, "site-down", { namespace: "AWS/Route53", metricName: "HealthCheckStatus" }, { provider: east });
        stack.add(ALARM, "errors", { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count" }, { provider: west });
        stack.add(ALARM, "maybe", { namespace: UNKNOWN }, { provider: west });
        expectNone(await judge(route53AlarmRegion, stack));
    });
});
