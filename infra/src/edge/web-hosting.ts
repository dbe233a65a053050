import {
  contentSecurityPolicy,
  cspConnectSources,
  cspImageSources,
  type RuntimeConfig,
  spaSecurityHeaders,
} from '@app/stack/wiring';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

function frameOption(value: string | undefined): cloudfront.HeadersFrameOption {
  if (value === 'DENY') return cloudfront.HeadersFrameOption.DENY;
  if (value === 'SAMEORIGIN') return cloudfront.HeadersFrameOption.SAMEORIGIN;
  throw new Error(`x-frame-options ${value} has no CloudFront equivalent`);
}

/**
 * Set on every /api/* request by a CloudFront Function from the connection's own address, so a
 * viewer cannot forge it; the regional WAF keys its rate rule on it (ADR 0085).
 */
export const viewerIpHeader = 'x-viewer-ip';

export interface WebHostingProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /**
   * Host name the ALB's certificate covers (DNS points it at the ALB). CloudFront connects to this
   * name over TLS, so the certificate validates. Unset only with allowHttpOrigin (plain HTTP).
   */
  readonly albDomainName?: string;
  /** Headers CloudFront adds to every request to the ALB (the origin secret, ADR 0177). */
  readonly originHeaders: Record<string, string>;
  readonly logBucket: s3.IBucket;
  readonly domainName?: string;
  readonly certificateArn?: string;
  readonly webAclArn?: string;
  /** Region of the user pool: the SPA talks SRP to cognito-idp.<region>.amazonaws.com. */
  readonly region: string;
  /** The managed login's base URL: the SPA's hosted-page sign-in posts to its /oauth2/token. */
  readonly hostedUiUrl?: string;
  /** Origin of the attachments bucket: the SPA PUTs uploads to it and shows its images (ADR 0173). */
  readonly filesUrl?: string;
}

/**
 * S3 (private, OAC) + CloudFront for the SPA. `/api/*` is routed to the ALB so the browser sees
 * one HTTPS origin: no CORS, no mixed content, even before a custom domain exists.
 */
export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<domain>` the SPA is served from (also the API's WEB_ORIGIN). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The SPA's headers from packages/stack (the local static server sends the same); CloudFront
    // wants each in its own field, and a test checks every one made it (infra/test/origin.test.ts).
    const csp = {
      region: props.region,
      apiUrl: '',
      ...(props.hostedUiUrl ? { hostedUi: { url: props.hostedUiUrl } } : {}),
      ...(props.filesUrl ? { filesUrl: props.filesUrl } : {}),
    };
    const spa = spaSecurityHeaders(csp);
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: frameOption(spa['x-frame-options']), override: true },
        referrerPolicy: {
          referrerPolicy: spa['referrer-policy'] as cloudfront.HeadersReferrerPolicy,
          override: true,
        },
        contentSecurityPolicy: {
          // connect-src: the SPA's own origin (/api/* included), Cognito's regional endpoint and the
          // attachments bucket; img-src: the bucket's thumbnails.
          contentSecurityPolicy: contentSecurityPolicy(cspConnectSources(csp), cspImageSources(csp)),
          override: true,
        },
      },
    });
    // SPA fallback on the S3 behaviour only: a path without a file extension is a client-side
    // route, so it gets index.html. (Distribution-wide error pages would also rewrite API 404s.)
    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri.indexOf('.') === -1) { r.uri = '/index.html'; } return r; }",
      ),
    });
    // CloudFront validates the origin certificate against the origin's domain name, so the origin
    // is the API's own name, never the ALB's *.elb.amazonaws.com name (no certificate covers it).
    const apiOrigin = props.albDomainName
      ? new origins.HttpOrigin(props.albDomainName, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          readTimeout: Duration.seconds(30),
          customHeaders: props.originHeaders,
        })
      : new origins.LoadBalancerV2Origin(props.loadBalancer, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
          readTimeout: Duration.seconds(30),
          customHeaders: props.originHeaders,
        });
    const viewerIp = new cloudfront.Function(this, 'ViewerIp', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        `function handler(event) { var r = event.request; r.headers['${viewerIpHeader}'] = { value: event.viewer.ip }; return r; }`,
      ),
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'SPA + /api/* to the ALB',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(props.domainName && props.certificateArn
        ? {
            domainNames: [props.domainName],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: acm.Certificate.fromCertificateArn(this, 'Cert', props.certificateArn),
          }
        : {}),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        functionAssociations: [
          { function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
          functionAssociations: [
            { function: viewerIp, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
      },
    });
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Writes /config.json (from packages/stack's webConfig(), the one writer) at deploy time; leaves
   * the SPA files (synced by CI) alone.
   */
  deployRuntimeConfig(config: RuntimeConfig): s3deploy.BucketDeployment {
    return new s3deploy.BucketDeployment(this, 'RuntimeConfig', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.jsonData('config.json', config)],
      prune: false,
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/config.json'],
    });
  }
}
