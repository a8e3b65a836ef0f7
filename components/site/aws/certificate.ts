// The site's own TLS certificate: ACM, in the site's region (a load balancer only takes
// certificates from its own region), for the name clients reach the service on, validated by DNS
// in the public Route 53 hosted zone that holds the name. ACM renews it by itself for as long as
// the validation record stays in the zone.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsSiteContext, childOptions, tagsNamed } from "./context";

export interface CertificateArgs {
    /** The name the certificate is for, e.g. checkout.example.com. */
    readonly domainName: string;
    /** Public Route 53 hosted zone holding domainName, e.g. example.com (no trailing dot). */
    readonly zoneName: string;
}

export interface SiteCertificate {
    readonly certificate: aws.acm.Certificate;
    /** The CNAME that proves to ACM that the account controls the name. */
    readonly validationRecord: aws.route53.Record;
    /** Completes once ACM has issued the certificate. */
    readonly validation: aws.acm.CertificateValidation;
    /** The ARN of the issued certificate (through the validation, so a listener using it waits for issuance). */
    readonly certificateArn: pulumi.Output<string>;
}

/** TTL of the validation record; ACM only reads it at issuance and renewal. */
export const VALIDATION_RECORD_TTL_SECONDS = 300;

export function createCertificate(ctx: AwsSiteContext, args: CertificateArgs): SiteCertificate {
    const opts = childOptions(ctx);
    const certificate = new aws.acm.Certificate(`${ctx.name}-cert`, {
        domainName: args.domainName,
        validationMethod: "DNS",
        tags: tagsNamed(ctx, `${ctx.name}-cert`),
    }, opts);

    // Route 53 is global: the lookup and the record go through the site's provider like everything else.
    const zone = aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, { parent: ctx.parent, provider: ctx.provider });
    const option = certificate.domainValidationOptions.apply((options) => {
        const found = options?.find((o) => o.domainName === args.domainName);
        // A certificate for one name has exactly one validation option (mocks report none at all).
        if (options && !found) throw new Error(`ACM returned no DNS validation record for ${args.domainName} (certificate ${ctx.name}-cert)`);
        return found;
    });
    const validationRecord = new aws.route53.Record(`${ctx.name}-cert-validation`, {
        zoneId: zone.zoneId,
        name: option.apply((o) => o?.resourceRecordName ?? ""),
        // Always CNAME, but taken from ACM like name and value: a record whose name and type are
        // unknown at preview reads as a supporting record, not as a name clients resolve.
        type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
        records: [option.apply((o) => o?.resourceRecordValue ?? "")],
        ttl: VALIDATION_RECORD_TTL_SECONDS,
        // Every ACM certificate for this name in this account (one per region, so one per AWS site
        // of the service) asks for the very same CNAME: each site writes it rather than failing on
        // the record another site already created.
        allowOverwrite: true,
    }, {
        ...opts,
        // Removing one site must not delete the record the other sites' certificates renew with.
        retainOnDelete: true,
    });
    const validation = new aws.acm.CertificateValidation(`${ctx.name}-cert-validation`, {
        certificateArn: certificate.arn,
        validationRecordFqdns: [validationRecord.fqdn],
    }, opts);

    return { certificate, validationRecord, validation, certificateArn: validation.certificateArn };
}
