using Gordon.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Gordon.Core.Tests.Http;

public sealed class BearerTokenCheckTests
{
    [TestCase("Bearer s3cret", true)]
    [TestCase("bearer s3cret", true)]
    [TestCase("Bearer s3cret ", true)]
    [TestCase("Bearer s3cre", false)]
    [TestCase("Bearer s3cretX", false)]
    [TestCase("Basic s3cret", false)]
    [TestCase("s3cret", false)]
    [TestCase("", false)]
    public void IsAuthorized_OnlyTheExactBearerToken(string header, bool expected)
    {
        var context = new DefaultHttpContext();
        if (header.Length > 0)
        {
            context.Request.Headers.Authorization = header;
        }

        Assert.That(new BearerTokenCheck("s3cret").IsAuthorized(context.Request), Is.EqualTo(expected));
    }
}
