"""Makes `vectors.json`: presigned URLs made by botocore's
`generate_presigned_url`, which `tests/tests/presign.rs` compares with ours,
byte for byte.

Run it from the repository's root with botocore 1.44.5:

    python3 -m venv target/presign-venv
    target/presign-venv/bin/pip install botocore==1.44.5
    target/presign-venv/bin/python tests/data/presign/make_vectors.py > tests/data/presign/vectors.json

The credentials are fixed and made up; the time is frozen by replacing the
clock botocore's signers read (`botocore.auth.get_current_datetime`). No
request is sent: presigning is local.

S3 clients are made with `signature_version='s3v4'` and
`s3={'addressing_style': 'virtual'}`:
- without the first, botocore presigns S3 with Signature Version 2 in the
  regions that still accept it (its documentation recommends s3v4);
- without the second, botocore puts a presigned URL's bucket on the global
  host `s3.amazonaws.com` whatever the region (a Signature Version 2
  legacy), where `send()` and ours address the bucket in its region.
Every other service signs with SigV4 by default.

botocore writes an operation's query parameters in the order of the
`Params` given; ours follow the model's member order. The cases list their
`Params` in the model's order, so that the URLs compare as text.
"""

import datetime
import json
import sys

import botocore
import botocore.auth
import botocore.session
from botocore.config import Config

NOW = datetime.datetime(2026, 1, 15, 12, 34, 56)
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# Characters a query value must encode: `/`, `+` and `=`.
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJH/MEUCIQD+example=="

CASES = [
    {
        "name": "s3 GetObject, virtual-hosted, a key that needs encoding, a session token",
        "service": "s3",
        "region": "us-west-2",
        "operation": "GetObject",
        "params": {
            "Bucket": "example-bucket",
            "Key": "photos/2024 summer/naïve café+ü~(1).jpg",
        },
        "expires": 900,
        "session_token": True,
    },
    {
        "name": "s3 GetObject, response overrides and a range",
        "service": "s3",
        "region": "eu-central-1",
        "operation": "GetObject",
        "params": {
            "Bucket": "example-bucket",
            "Key": "report.pdf",
            "ResponseContentDisposition": 'attachment; filename="report 2026.pdf"',
            "ResponseContentType": "application/pdf",
            "Range": "bytes=0-1023",
        },
        "expires": 3600,
        "session_token": False,
    },
    {
        "name": "s3 PutObject, virtual-hosted, a content type and metadata, a session token",
        "service": "s3",
        "region": "us-west-2",
        "operation": "PutObject",
        "params": {
            "Bucket": "example-bucket",
            "Key": "uploads/a b/ü.txt",
            "ContentType": "text/plain",
            "Metadata": {"origin": "presign-test"},
        },
        "expires": 604800,
        "session_token": True,
    },
    {
        "name": "s3 PutObject, no headers of its own",
        "service": "s3",
        "region": "us-west-2",
        "operation": "PutObject",
        "params": {"Bucket": "example-bucket", "Key": "plain.bin"},
        "expires": 60,
        "session_token": False,
    },
    {
        "name": "s3 ListObjectsV2 with query parameters",
        "service": "s3",
        "region": "us-west-2",
        "operation": "ListObjectsV2",
        "params": {
            "Bucket": "example-bucket",
            "Delimiter": "/",
            "EncodingType": "url",
            "MaxKeys": 100,
            "Prefix": "photos/2024 summer/",
            "StartAfter": "photos/2024 summer/a+b",
        },
        "expires": 3600,
        "session_token": False,
    },
    {
        "name": "sts GetCallerIdentity (query protocol: the body moves to the query string)",
        "service": "sts",
        "region": "us-west-2",
        "operation": "GetCallerIdentity",
        "params": {},
        "expires": 900,
        "session_token": True,
    },
    {
        "name": "ec2 DescribeInstances (ec2 protocol: the form, with EC2's keys and lists, moves to the query string)",
        "service": "ec2",
        "region": "eu-west-1",
        "operation": "DescribeInstances",
        "params": {
            "InstanceIds": ["i-1234567890abcdef0", "i-0fedcba0987654321"],
            "Filters": [{"Name": "tag:Name", "Values": ["web server", "db/1"]}],
        },
        "expires": 600,
        "session_token": False,
    },
    {
        "name": "chime-sdk-voice GetProxySession (rest-json GET with labels)",
        "service": "chime-sdk-voice",
        "region": "us-east-1",
        "operation": "GetProxySession",
        "params": {
            "VoiceConnectorId": "abcdef1ghij2klmno3pqr4",
            "ProxySessionId": "session id/1",
        },
        "expires": 300,
        "session_token": False,
    },
]


def main():
    botocore.auth.get_current_datetime = lambda remove_tzinfo=True: NOW
    session = botocore.session.get_session()
    # No profile, environment or files of the machine that runs this.
    session.set_config_variable("config_file", "/dev/null")
    session.set_config_variable("credentials_file", "/dev/null")
    vectors = []
    for case in CASES:
        config = None
        if case["service"] == "s3":
            config = Config(
                signature_version="s3v4", s3={"addressing_style": "virtual"}
            )
        client = session.create_client(
            case["service"],
            region_name=case["region"],
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            aws_session_token=SESSION_TOKEN if case["session_token"] else None,
            config=config,
        )
        method = client.meta.method_to_api_mapping
        client_method = {v: k for k, v in method.items()}[case["operation"]]
        url = client.generate_presigned_url(
            client_method, Params=case["params"], ExpiresIn=case["expires"]
        )
        http_method = client.meta.service_model.operation_model(
            case["operation"]
        ).http["method"]
        vectors.append(
            {
                "name": case["name"],
                "service": case["service"],
                "region": case["region"],
                "operation": case["operation"],
                "params": case["params"],
                "expires_in_seconds": case["expires"],
                "session_token": case["session_token"],
                "method": http_method,
                "url": url,
            }
        )
    out = {
        "generator": "tests/data/presign/make_vectors.py",
        "botocore": botocore.__version__,
        "time": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "session_token": SESSION_TOKEN,
        "cases": vectors,
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
