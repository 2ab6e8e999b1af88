package io.bucketprotection.operator.s3;

/**
 * The server's ids of one request, so an audit line can be matched with the CloudTrail record of
 * the same call.
 *
 * @param requestId x-amz-request-id, or null
 * @param extendedRequestId x-amz-id-2, or null (RadosGW sends none)
 */
public record WriteReceipt(String requestId, String extendedRequestId) {

  public static final WriteReceipt NONE = new WriteReceipt(null, null);
}
