"""Where uploaded media lives when there are several app servers: S3-compatible object
storage (AWS S3, MinIO, Cloudflare R2, ...), through django-storages, so that every server
sees every file. boto3 reads the access key and secret from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY."""


def s3_media_storage(bucket: str, endpoint_url: str = "", region: str = "", custom_domain: str = "") -> dict:
    """The STORAGES["default"] entry for media in the bucket `bucket`."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            # A CDN host in front of the bucket, if any, e.g. media.example.org.
            "custom_domain": custom_domain or None,
            # Media is public and its names never change: plain, cacheable URLs.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
