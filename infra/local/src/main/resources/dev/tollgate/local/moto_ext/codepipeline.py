"""CodePipeline: the job worker API a custom action answers.

* CodePipeline's job worker API, which moto 5.2.1 lacks entirely: GetJobDetails,
  PutJobSuccessResult and PutJobFailureResult on a job store, plus a test-only route
  (/moto-api/tollgate/codepipeline/jobs) that creates a job as a pipeline run would and reads
  back how it was answered. See extend_codepipeline_jobs.
"""

import json
import re
import threading
import uuid


# CodePipeline jobs by id. Job ids are UUIDs, unique across accounts and regions, as on AWS.
CODEPIPELINE_JOBS = {}
CODEPIPELINE_JOBS_LOCK = threading.Lock()
# https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_JobDetails.html (status of a job)
OPEN_JOB_STATES = ("Created", "Queued", "Dispatched", "InProgress")
FAILURE_TYPES = ("JobFailed", "ConfigurationError", "PermissionError", "RevisionOutOfSync", "RevisionUnavailable",
                 "SystemUnavailable")


def extend_codepipeline_jobs():
    """CodePipeline's job worker API on a job store, checked as the API reference documents it:

    * GetJobDetails (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetJobDetails.html):
      {"jobDetails": {"id", "data", "accountId"}}; JobNotFoundException for an unknown id.
    * PutJobSuccessResult (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutJobSuccessResult.html):
      continuationToken (1-2048), executionDetails {summary (<= 2048), externalExecutionId (<= 1500),
      percentComplete (0-100)}, outputVariables, which "can be included only when there is no continuation
      token" (ValidationException otherwise). JobNotFoundException for an unknown job,
      InvalidJobStateException for a job already answered.
    * PutJobFailureResult (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutJobFailureResult.html):
      failureDetails {type (FailureType), message (1-5000), externalExecutionId}; same errors.

    A continuation is a new job whose data carries the continuation token, as CodePipeline creates
    it; the test route creates those too. The route (not an AWS API):
      POST /moto-api/tollgate/codepipeline/jobs {"accountId", "data"} -> {"id"}
      GET  /moto-api/tollgate/codepipeline/jobs?id=ID -> {"id", "status", "answers": [...]}
    where answers lists every call that answered the job, accepted or refused, in order.
    """
    from moto.codepipeline.responses import CodePipelineResponse
    from moto.core.exceptions import JsonRESTError
    from moto.moto_api._internal import urls as moto_api_urls

    def error(code, message):
        failure = JsonRESTError(code, message)
        failure.code = 400
        return failure

    def find(job_id):
        job = CODEPIPELINE_JOBS.get(job_id)
        if job is None:
            raise error("JobNotFoundException", "The job was specified in an invalid format or cannot be found.")
        return job

    def answer(job_id, status, result):
        with CODEPIPELINE_JOBS_LOCK:
            job = find(job_id)
            refused = job["status"] not in OPEN_JOB_STATES
            job["answers"].append(dict(result, status=status, accepted=not refused))
            if refused:
                raise error("InvalidJobStateException", f"Job {job_id} is {job['status']}; it was answered already.")
            job["status"] = status
            job["result"] = result

    def check_length(name, value, low, high):
        if value is not None and not (low <= len(value) <= high):
            raise error("ValidationException", f"{name} must be {low} to {high} characters long, found {len(value)}")

    def get_job_details(self):
        job = find(self._get_param("jobId"))
        return json.dumps({"jobDetails": {"id": job["id"], "data": job["data"], "accountId": job["accountId"]}})

    def put_job_success_result(self):
        token = self._get_param("continuationToken")
        details = self._get_param("executionDetails") or {}
        variables = self._get_param("outputVariables")
        check_length("continuationToken", token, 1, 2048)
        check_length("executionDetails.summary", details.get("summary"), 1, 2048)
        check_length("executionDetails.externalExecutionId", details.get("externalExecutionId"), 1, 1500)
        percent = details.get("percentComplete")
        if percent is not None and not 0 <= percent <= 100:
            raise error("ValidationException", f"executionDetails.percentComplete must be 0 to 100, found {percent}")
        if token and variables:
            raise error("ValidationException", "outputVariables can be included only when there is no continuation token")
        for key in variables or {}:
            if not re.fullmatch(r"[A-Za-z0-9@\-_]+", key):
                raise error("ValidationException", f"output variable name {key!r} is not allowed")
        answer(self._get_param("jobId"), "Succeeded",
               {"continuationToken": token, "executionDetails": details, "outputVariables": variables})
        return "{}"

    def put_job_failure_result(self):
        details = self._get_param("failureDetails") or {}
        if details.get("type") not in FAILURE_TYPES:
            raise error("ValidationException", f"failureDetails.type must be one of {', '.join(FAILURE_TYPES)}")
        check_length("failureDetails.message", details.get("message") or "", 1, 5000)
        check_length("failureDetails.externalExecutionId", details.get("externalExecutionId"), 1, 1500)
        answer(self._get_param("jobId"), "Failed", {"failureDetails": details})
        return "{}"

    CodePipelineResponse.get_job_details = get_job_details
    CodePipelineResponse.put_job_success_result = put_job_success_result
    CodePipelineResponse.put_job_failure_result = put_job_failure_result

    def jobs_route(request, full_url, headers):
        if request.method == "POST":
            body = json.loads(request.get_data(as_text=True) or "{}")
            job_id = str(uuid.uuid4())
            with CODEPIPELINE_JOBS_LOCK:
                CODEPIPELINE_JOBS[job_id] = {"id": job_id, "accountId": body.get("accountId", "123456789012"),
                                             "data": body.get("data", {}), "status": "InProgress", "answers": []}
            return 201, {"Content-Type": "application/json"}, json.dumps({"id": job_id})
        job = CODEPIPELINE_JOBS.get(request.args.get("id", ""))
        if job is None:
            return 404, {"Content-Type": "application/json"}, json.dumps({"message": "no such job"})
        with CODEPIPELINE_JOBS_LOCK:
            view = {"id": job["id"], "status": job["status"], "answers": list(job["answers"])}
        return 200, {"Content-Type": "application/json"}, json.dumps(view)

    moto_api_urls.url_paths["{0}/moto-api/tollgate/codepipeline/jobs$"] = jobs_route


def install():
    """Applies the CodePipeline job worker API and its test route."""
    extend_codepipeline_jobs()
