//! Which failures are retried, and as what: botocore's `retries/standard.py`
//! checkers (throttling codes, transient codes and statuses).

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asks us to slow down: longer waits, cheaper in quota.
    Throttling,
    /// A server fault, a connection failure or a timeout.
    Transient,
}

/// Error codes that mean "slow down" in the AWS SDKs, plus this family's
/// `ThrottledClientException`, which neither official SDK retries although
/// the service means exactly that.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "ThrottledClientException",
];

const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Classifies an error response. HTTP 429 is throttling whatever its code.
/// Any other client error is never retried: sending it again cannot help.
pub fn classify_response(status: u16, code: Option<&str>) -> Option<RetryKind> {
    if status == 429 || code.is_some_and(|c| THROTTLING_CODES.contains(&c)) {
        Some(RetryKind::Throttling)
    } else if TRANSIENT_STATUSES.contains(&status)
        || code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
    {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(classify_response(429, None), Some(RetryKind::Throttling));
        assert_eq!(
            classify_response(400, Some("ThrottlingException")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(429, Some("ThrottledClientException")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(503, Some("ServiceUnavailableException")),
            Some(RetryKind::Transient)
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(classify_response(status, None), Some(RetryKind::Transient));
        }
        assert_eq!(
            classify_response(400, Some("RequestTimeout")),
            Some(RetryKind::Transient)
        );
        for (status, code) in [
            (400, "BadRequestException"),
            (404, "NotFoundException"),
            (403, "ForbiddenException"),
            (401, "UnauthorizedClientException"),
        ] {
            assert_eq!(classify_response(status, Some(code)), None, "{code}");
        }
        assert_eq!(classify_response(501, None), None);
    }
}
