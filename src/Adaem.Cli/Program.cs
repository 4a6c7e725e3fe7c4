using Adaem.Cli;

return await AdaemCli.RunAsync(args);
